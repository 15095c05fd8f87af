package dev.wirehaven.api.session;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one client session, as plugins may see it: who, which phase, which addresses and
 * how much traffic. It holds no secret: the session token and keys other than the client's public
 * key stay inside the server. A snapshot does not change; ask {@link SessionDirectory} again for
 * newer counters.
 *
 * @param id the session id, opaque and unique on this server; not blank
 * @param identity who authenticated, or {@code null} while the session is {@link SessionPhase#REQUESTED}
 *        or {@link SessionPhase#CHALLENGED}
 * @param phase the phase at the moment of the snapshot
 * @param tunnelAddresses the addresses assigned to the client inside the tunnel (empty until configured)
 * @param advertisedSubnets the subnets that a site-to-site client routes through the tunnel, as allowed
 *        by policy (empty for a remote worker)
 * @param clientPublicKey the client's WireGuard public key in standard base64, as {@code wg} prints it
 * @param deviceName the device name that the client reported, for display only (not unique, not
 *        trusted); may be empty
 * @param started when the client asked to connect
 * @param lastHandshake when the last WireGuard handshake completed, or {@code null} if none has yet
 * @param bytesReceived bytes received from the client through the tunnel
 * @param bytesSent bytes sent to the client through the tunnel
 */
public record SessionView(
        String id,
        Identity identity,
        SessionPhase phase,
        List<InetAddress> tunnelAddresses,
        List<IpPrefix> advertisedSubnets,
        String clientPublicKey,
        String deviceName,
        Instant started,
        Instant lastHandshake,
        long bytesReceived,
        long bytesSent) {

    /** Validates and copies. */
    public SessionView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(clientPublicKey, "clientPublicKey");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(started, "started");
        tunnelAddresses = List.copyOf(Objects.requireNonNull(tunnelAddresses, "tunnelAddresses"));
        advertisedSubnets = List.copyOf(Objects.requireNonNull(advertisedSubnets, "advertisedSubnets"));
        if (id.isBlank()) {
            throw new IllegalArgumentException("the session id is blank");
        }
        if (identity == null && phase.compareTo(SessionPhase.AUTHENTICATED) >= 0 && !phase.isTerminal()) {
            throw new IllegalArgumentException("a session in phase " + phase + " has an identity");
        }
        if (!isBase64Key(clientPublicKey)) {
            throw new IllegalArgumentException("the client public key is not 32 bytes in base64");
        }
        if (bytesReceived < 0 || bytesSent < 0) {
            throw new IllegalArgumentException("byte counters are negative");
        }
    }

    private static boolean isBase64Key(String text) {
        try {
            return Base64.getDecoder().decode(text).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
