package dev.wirehaven.sessions.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A peer that the session layer put on the server's WireGuard device: enough to put it back after a
 * restart exactly as it was, so that the client's tunnel resumes without a new login.
 *
 * @param publicKey the client's public key (standard base64)
 * @param sessionId the session the peer belongs to
 * @param presharedKey the session's preshared key (standard base64)
 * @param allowedIps the peer's allowed IPs: its tunnel addresses and the subnets policy admitted
 * @param keepaliveSeconds the server side's persistent keepalive, 0 for off
 * @param createdAt when the peer was added
 */
public record PeerRecord(
        String publicKey,
        String sessionId,
        String presharedKey,
        List<String> allowedIps,
        int keepaliveSeconds,
        Instant createdAt) {

    public PeerRecord {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(createdAt, "createdAt");
        allowedIps = List.copyOf(allowedIps);
    }

    /** Never prints the preshared key. */
    @Override
    public String toString() {
        return "PeerRecord[" + publicKey + " session=" + sessionId + " allowedIps=" + allowedIps + "]";
    }
}
