package dev.wirehaven.sessions.internal.store;

import java.time.Instant;

/**
 * What one session used, from the server's device counters of its peer.
 *
 * @param user the session's user
 * @param configuredAt when its peer went on the device (the start of its connected time)
 * @param closedAt when it ended, or null while it is open
 * @param rxBytes bytes received from the peer
 * @param txBytes bytes sent to the peer
 * @param rxPackets inner packets received and delivered
 * @param txPackets inner packets sent
 */
public record SessionUsage(
        String user,
        Instant configuredAt,
        Instant closedAt,
        long rxBytes,
        long txBytes,
        long rxPackets,
        long txPackets) {}
