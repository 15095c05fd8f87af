package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.session.SessionPhase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One row of the {@code sessions} table: a client session from its connection request to its end.
 * Immutable; each step of the flow makes the next version with one of the {@code with...} methods
 * and saves it with {@link SessionRepository#save(SessionRecord, SessionPhase)}.
 *
 * @param id the session id, random and unguessable
 * @param phase the phase
 * @param clientPublicKey the client's WireGuard public key (standard base64)
 * @param deviceName the device name the client gave; may be empty
 * @param sourceAddress the address the connection request came from, or null
 * @param requestedAddress the tunnel address the client asked for, or null
 * @param createdAt when the connection request arrived
 * @param expiresAt until authentication: when the challenge lapses; from then on: when the token lapses
 * @param tokenHash the SHA-256 of the bearer token (hex), or null before authentication
 * @param identity while CHALLENGED, the identity that earlier factors established (or null); from
 *        AUTHENTICATED on, the authenticated identity
 * @param challengeMethods the auth methods the client may answer now
 * @param completedMethods the methods passed so far in a login or re-authentication that is not finished
 * @param authenticatedAt when the credentials were first accepted, or null
 * @param presharedKey the session's preshared key (standard base64), or null before authentication
 * @param addresses the leased tunnel addresses
 * @param advertisedSubnets the site-to-site subnets that policy admitted
 * @param configuredAt when the peer was added to the device, or null
 * @param lastHandshakeAt the last handshake the server saw, or null
 * @param policyVersion the newest policy version of the session
 * @param policyAckedVersion the newest version the client acknowledged as applied, 0 for none
 * @param closedAt when the session ended, or null while it is open
 * @param closeReason why it ended, or null
 */
public record SessionRecord(
        String id,
        SessionPhase phase,
        String clientPublicKey,
        String deviceName,
        String sourceAddress,
        String requestedAddress,
        Instant createdAt,
        Instant expiresAt,
        String tokenHash,
        Identity identity,
        List<String> challengeMethods,
        List<String> completedMethods,
        Instant authenticatedAt,
        String presharedKey,
        TunnelAddresses addresses,
        List<String> advertisedSubnets,
        Instant configuredAt,
        Instant lastHandshakeAt,
        long policyVersion,
        long policyAckedVersion,
        Instant closedAt,
        String closeReason) {

    /** The policy version every session starts with, so that a client's first poll ({@code after=0}) answers at once. */
    public static final long FIRST_POLICY_VERSION = 1;

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(clientPublicKey, "clientPublicKey");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        challengeMethods = List.copyOf(challengeMethods);
        completedMethods = List.copyOf(completedMethods);
        addresses = addresses == null ? TunnelAddresses.NONE : addresses;
        advertisedSubnets = List.copyOf(advertisedSubnets);
    }

    /** A session just challenged: what the connection request said and which methods may answer. */
    public static SessionRecord challenged(
            String id,
            String clientPublicKey,
            String deviceName,
            String sourceAddress,
            String requestedAddress,
            Instant now,
            Instant challengeLapses,
            List<String> methods) {
        return new SessionRecord(
                id,
                SessionPhase.CHALLENGED,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                now,
                challengeLapses,
                null,
                null,
                methods,
                List.of(),
                null,
                null,
                TunnelAddresses.NONE,
                List.of(),
                null,
                null,
                FIRST_POLICY_VERSION,
                0,
                null,
                null);
    }

    /** The authenticated user, the user established by an earlier factor, or null. */
    public String user() {
        return identity == null ? null : identity.user();
    }

    /** True until the session ended. */
    public boolean isOpen() {
        return closedAt == null;
    }

    /** An accepted factor that needs another one: who the client is so far and what it may answer next. */
    public SessionRecord withFactor(
            Identity established, List<String> nextMethods, List<String> completed, Instant newExpiresAt) {
        return new SessionRecord(
                id,
                phase,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                newExpiresAt,
                tokenHash,
                established,
                nextMethods,
                completed,
                authenticatedAt,
                presharedKey,
                addresses,
                advertisedSubnets,
                configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    /** The credentials were accepted: AUTHENTICATED with a token and a fresh preshared key. */
    public SessionRecord authenticated(
            String newTokenHash, Identity authenticated, String newPresharedKey, Instant now, Instant tokenLapses) {
        return new SessionRecord(
                id,
                SessionPhase.AUTHENTICATED,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                tokenLapses,
                newTokenHash,
                authenticated,
                List.of(),
                List.of(),
                now,
                newPresharedKey,
                addresses,
                advertisedSubnets,
                configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    /** Re-authenticated: a new token and expiry, the phase and the tunnel unchanged. */
    public SessionRecord renewed(String newTokenHash, Identity authenticated, Instant tokenLapses) {
        return new SessionRecord(
                id,
                phase,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                tokenLapses,
                newTokenHash,
                authenticated,
                List.of(),
                List.of(),
                authenticatedAt,
                presharedKey,
                addresses,
                advertisedSubnets,
                configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    public SessionRecord withAddresses(TunnelAddresses leased) {
        return new SessionRecord(
                id,
                phase,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                expiresAt,
                tokenHash,
                identity,
                challengeMethods,
                completedMethods,
                authenticatedAt,
                presharedKey,
                leased,
                advertisedSubnets,
                configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    /** The peer is on the device with these subnets; CONFIGURED unless the session was further already. */
    public SessionRecord configured(List<String> subnets, Instant now) {
        boolean first = phase == SessionPhase.AUTHENTICATED;
        return new SessionRecord(
                id,
                first ? SessionPhase.CONFIGURED : phase,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                expiresAt,
                tokenHash,
                identity,
                challengeMethods,
                completedMethods,
                authenticatedAt,
                presharedKey,
                addresses,
                subnets,
                first ? now : configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    /** The first handshake completed: ACTIVE. */
    public SessionRecord active(Instant handshake) {
        return handshakeIn(SessionPhase.ACTIVE, handshake);
    }

    public SessionRecord withHandshake(Instant handshake) {
        return handshakeIn(phase, handshake);
    }

    private SessionRecord handshakeIn(SessionPhase inPhase, Instant handshake) {
        return new SessionRecord(
                id,
                inPhase,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                expiresAt,
                tokenHash,
                identity,
                challengeMethods,
                completedMethods,
                authenticatedAt,
                presharedKey,
                addresses,
                advertisedSubnets,
                configuredAt,
                handshake,
                policyVersion,
                policyAckedVersion,
                closedAt,
                closeReason);
    }

    /** The session ended in {@code terminal} (DISCONNECTED or EXPIRED). */
    public SessionRecord closed(SessionPhase terminal, Instant now, String reason) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " does not end a session");
        }
        return new SessionRecord(
                id,
                terminal,
                clientPublicKey,
                deviceName,
                sourceAddress,
                requestedAddress,
                createdAt,
                expiresAt,
                tokenHash,
                identity,
                List.of(),
                List.of(),
                authenticatedAt,
                presharedKey,
                addresses,
                advertisedSubnets,
                configuredAt,
                lastHandshakeAt,
                policyVersion,
                policyAckedVersion,
                now,
                reason);
    }

    /** Never prints the preshared key or the token hash. */
    @Override
    public String toString() {
        return "SessionRecord[" + id + " " + phase + " user=" + user() + " device=" + deviceName + "]";
    }
}
