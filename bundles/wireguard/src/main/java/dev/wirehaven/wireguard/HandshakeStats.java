package dev.wirehaven.wireguard;

import java.util.List;
import java.util.Objects;

/**
 * The handshakes a device completed since it started, and how long they took, for the whole device
 * (not per peer). A handshake completes once per new keypair: as initiator when our initiation's
 * response is consumed, as responder when the initiator's first transport data message confirms the
 * keypair (whitepaper §5.4.6: the responder may not send before that).
 *
 * <p>The latency of one handshake is one round trip plus the processing at both ends: as initiator,
 * from sending the initiation that succeeded (not an earlier, unanswered one) to consuming its
 * response; as responder, from sending the response to receiving the confirming transport message.
 *
 * <p>Every count is cumulative since the device started (it only grows). The histogram is <em>not</em>
 * cumulative across buckets: {@code bucketCounts.get(i)} counts the latencies above bound {@code i-1}
 * and at most bound {@code i} (above 0 for the first), so the counts add up to {@code latencyCount}.
 * A consumer that wants Prometheus' cumulative {@code le} buckets sums them from the first.
 *
 * @param completed handshakes completed, one per new keypair
 * @param latencyCount latencies in the histogram (the sum of {@code bucketCounts}); every handshake
 *        the device completes is measured, so this equals {@code completed} except for a handshake
 *        that completes while the snapshot is read
 * @param latencySumNanos the sum of those latencies in nanoseconds
 * @param bucketUpperBoundsNanos the inclusive upper bound of each bucket in nanoseconds, ascending;
 *        the last is {@link Long#MAX_VALUE}, standing for +Inf
 * @param bucketCounts the latencies in each bucket (not cumulative across buckets), as many as bounds
 * @since 1.2
 */
public record HandshakeStats(
        long completed,
        long latencyCount,
        long latencySumNanos,
        List<Long> bucketUpperBoundsNanos,
        List<Long> bucketCounts) {

    /**
     * The bucket bounds the device uses: 1, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5 s and +Inf. A
     * round trip on a LAN lands in the first, across a continent in 50-100 ms; a peer that answers
     * only after seconds is overloaded or behind a lossy path.
     */
    public static final List<Long> LATENCY_BUCKET_UPPER_BOUNDS_NANOS = List.of(
            1_000_000L,
            5_000_000L,
            10_000_000L,
            25_000_000L,
            50_000_000L,
            100_000_000L,
            250_000_000L,
            500_000_000L,
            1_000_000_000L,
            2_500_000_000L,
            5_000_000_000L,
            Long.MAX_VALUE);

    private static final HandshakeStats NONE = new HandshakeStats(
            0,
            0,
            0,
            LATENCY_BUCKET_UPPER_BOUNDS_NANOS,
            LATENCY_BUCKET_UPPER_BOUNDS_NANOS.stream().map(bound -> 0L).toList());

    public HandshakeStats {
        bucketUpperBoundsNanos = List.copyOf(Objects.requireNonNull(bucketUpperBoundsNanos, "bucketUpperBoundsNanos"));
        bucketCounts = List.copyOf(Objects.requireNonNull(bucketCounts, "bucketCounts"));
        if (bucketCounts.size() != bucketUpperBoundsNanos.size()) {
            throw new IllegalArgumentException("bucketCounts has " + bucketCounts.size() + " entries for "
                    + bucketUpperBoundsNanos.size() + " bucket bounds");
        }
        for (int i = 1; i < bucketUpperBoundsNanos.size(); i++) {
            if (bucketUpperBoundsNanos.get(i) <= bucketUpperBoundsNanos.get(i - 1)) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + bucketUpperBoundsNanos);
            }
        }
    }

    /** No handshake yet, with the device's bucket bounds. */
    public static HandshakeStats none() {
        return NONE;
    }

    /** The mean latency in nanoseconds, 0 when none was measured. */
    public double latencyAverageNanos() {
        return latencyCount == 0 ? 0 : (double) latencySumNanos / latencyCount;
    }
}
