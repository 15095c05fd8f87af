package dev.wirehaven.sessions.internal.session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Traffic per user and per interface as running totals that only grow, built from the device's
 * per-peer counters. A peer's counters start again when its session ends and a new peer comes, and a
 * user's sessions come and go, so the sum of the peers now would go down; instead each sample adds
 * what every peer carried since the previous sample. What a peer carried between its last sample
 * and its removal (at most one interval) is not counted.
 *
 * <p>Only {@link DeviceMetrics} uses it, under its lock.
 */
final class TrafficTotals {

    /** Bytes and packets in both directions. */
    record Traffic(long rxBytes, long txBytes, long rxPackets, long txPackets) {

        static final Traffic NONE = new Traffic(0, 0, 0, 0);

        Traffic plus(Traffic t) {
            return new Traffic(
                    rxBytes + t.rxBytes, txBytes + t.txBytes, rxPackets + t.rxPackets, txPackets + t.txPackets);
        }

        /**
         * What was carried from {@code before} to this sample of the same peer; a counter that went
         * back means a new peer under the same key, whose whole count is new.
         */
        Traffic since(Traffic before) {
            if (rxBytes < before.rxBytes
                    || txBytes < before.txBytes
                    || rxPackets < before.rxPackets
                    || txPackets < before.txPackets) {
                return this;
            }
            return new Traffic(
                    rxBytes - before.rxBytes,
                    txBytes - before.txBytes,
                    rxPackets - before.rxPackets,
                    txPackets - before.txPackets);
        }
    }

    private final Map<String, Traffic> lastByPeer = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Traffic> byUser = new TreeMap<>();
    private Traffic device = Traffic.NONE;

    /**
     * Adds what the peer {@code key} carried since its previous sample to the device's total and, when
     * it belongs to a session, to {@code user}'s.
     *
     * @param user the user of the peer's session, or null for a peer without session (a site, a peer
     *     configured with {@code wg})
     */
    void add(String key, String user, Traffic now) {
        Traffic before = lastByPeer.getOrDefault(key, Traffic.NONE);
        Traffic carried = now.since(before);
        lastByPeer.put(key, now);
        seen.add(key);
        device = device.plus(carried);
        if (user != null) {
            byUser.merge(user, carried, Traffic::plus);
        }
    }

    /** Ends a sample: peers not seen in it are gone and forgotten. */
    void endSample() {
        lastByPeer.keySet().retainAll(seen);
        seen.clear();
    }

    Traffic device() {
        return device;
    }

    /** Every user who carried traffic since the server started. */
    Map<String, Traffic> users() {
        return Map.copyOf(byUser);
    }
}
