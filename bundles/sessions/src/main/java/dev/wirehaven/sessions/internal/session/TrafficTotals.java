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
 * <p>It also tells the packet loss of the last interval: the packets that peers' counters show
 * missing, against those missing plus those received (see {@link #lossOfLastSample}).
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
    private final Map<String, Long> lostByPeer = new HashMap<>();
    private long lostInSample;
    private long receivedInSample;
    private double lossOfLastSample;
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
    void add(String key, String user, Traffic now, long lost) {
        Traffic before = lastByPeer.getOrDefault(key, Traffic.NONE);
        Traffic carried = now.since(before);
        lastByPeer.put(key, now);
        // a late packet may fill a gap, so a peer's lost count can go down a little: no new loss then
        Long lostBefore = lostByPeer.put(key, lost);
        lostInSample += Math.max(0, lost - (lostBefore == null ? 0 : lostBefore));
        receivedInSample += carried.rxPackets();
        seen.add(key);
        device = device.plus(carried);
        if (user != null) {
            byUser.merge(user, carried, Traffic::plus);
        }
    }

    /** Ends a sample: peers not seen in it are gone and forgotten. */
    void endSample() {
        lastByPeer.keySet().retainAll(seen);
        lostByPeer.keySet().retainAll(seen);
        seen.clear();
        long expected = lostInSample + receivedInSample;
        lossOfLastSample = expected == 0 ? 0 : (double) lostInSample / expected;
        lostInSample = 0;
        receivedInSample = 0;
    }

    /**
     * The share of packets lost on their way in, over the last sample's interval, 0 to 1: 0 without
     * traffic. Keepalives count in the missing packets but not in those received (the device counts
     * inner packets), which overstates a loss at very low rates only.
     */
    double lossOfLastSample() {
        return lossOfLastSample;
    }

    Traffic device() {
        return device;
    }

    /** Every user who carried traffic since the server started. */
    Map<String, Traffic> users() {
        return Map.copyOf(byUser);
    }
}
