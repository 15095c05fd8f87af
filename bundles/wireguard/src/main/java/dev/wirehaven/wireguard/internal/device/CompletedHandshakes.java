package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.HandshakeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handshakes a device completed and a histogram of their latencies, kept per device rather than
 * per peer so that an idle peer costs nothing more. Written by the handshake worker (initiator side)
 * and by the peers' inbound drains (responder side, at confirmation), read by snapshots. A record
 * allocates nothing (a {@link LongAdder} adds a cell only the first times two threads collide).
 */
final class CompletedHandshakes {

    /** {@link HandshakeStats#LATENCY_BUCKET_UPPER_BOUNDS_NANOS} as a primitive array for the per-record scan. */
    private static final long[] UPPER_BOUNDS = HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS.stream()
            .mapToLong(Long::longValue)
            .toArray();

    private final LongAdder completed = new LongAdder();
    private final LongAdder latencySumNanos = new LongAdder();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(UPPER_BOUNDS.length);

    /**
     * Counts one completed handshake (one new keypair) that took {@code latencyNanos} on the device's
     * monotonic clock. A negative interval (a clock that stepped back) counts as 0.
     */
    void record(long latencyNanos) {
        long latency = Math.max(0, latencyNanos);
        bucketCounts.incrementAndGet(bucket(latency));
        latencySumNanos.add(latency);
        completed.increment();
    }

    /** The index of the first bucket whose inclusive upper bound holds {@code latency}. */
    static int bucket(long latency) {
        int i = 0;
        while (latency > UPPER_BOUNDS[i]) { // the last bound is Long.MAX_VALUE: the loop ends there
            i++;
        }
        return i;
    }

    HandshakeStats snapshot() {
        List<Long> counts = new ArrayList<>(UPPER_BOUNDS.length);
        long inBuckets = 0;
        for (int i = 0; i < UPPER_BOUNDS.length; i++) {
            long n = bucketCounts.get(i);
            counts.add(n);
            inBuckets += n;
        }
        return new HandshakeStats(
                completed.sum(),
                inBuckets,
                latencySumNanos.sum(),
                HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS,
                counts);
    }
}
