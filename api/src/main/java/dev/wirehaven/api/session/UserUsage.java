package dev.wirehaven.api.session;

import java.time.Duration;
import java.util.Objects;

/**
 * What one user's sessions used, as the server's own WireGuard device counted it (never the client's
 * reports): the sessions that are open now and those that ended within the server's retention
 * ({@code session.retention}).
 *
 * @param user the user
 * @param sessions how many sessions were counted (open and ended)
 * @param open how many of them are open now
 * @param bytesReceived bytes the server received from the user's peers (whole WireGuard messages)
 * @param bytesSent bytes the server sent to them
 * @param packetsReceived inner packets received from them and delivered
 * @param packetsSent inner packets sent to them
 * @param connected the time the sessions had a peer on the device, summed
 * @since 1.3
 */
public record UserUsage(
        String user,
        int sessions,
        int open,
        long bytesReceived,
        long bytesSent,
        long packetsReceived,
        long packetsSent,
        Duration connected) {

    /** Validates. */
    public UserUsage {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(connected, "connected");
        if (sessions < 0 || open < 0 || open > sessions) {
            throw new IllegalArgumentException("session counts are inconsistent");
        }
        if (bytesReceived < 0 || bytesSent < 0 || packetsReceived < 0 || packetsSent < 0 || connected.isNegative()) {
            throw new IllegalArgumentException("usage counters are negative");
        }
    }
}
