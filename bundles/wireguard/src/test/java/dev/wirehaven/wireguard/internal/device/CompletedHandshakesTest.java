package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.HandshakeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CompletedHandshakesTest {

    private static final long MS = 1_000_000L;

    @Test
    void eachLatencyLandsInTheFirstBucketWhoseInclusiveUpperBoundHoldsIt() {
        assertEquals(0, CompletedHandshakes.bucket(0));
        assertEquals(0, CompletedHandshakes.bucket(MS));
        assertEquals(1, CompletedHandshakes.bucket(MS + 1));
        assertEquals(1, CompletedHandshakes.bucket(5 * MS));
        assertEquals(2, CompletedHandshakes.bucket(10 * MS));
        assertEquals(3, CompletedHandshakes.bucket(25 * MS));
        assertEquals(4, CompletedHandshakes.bucket(50 * MS));
        assertEquals(5, CompletedHandshakes.bucket(100 * MS));
        assertEquals(6, CompletedHandshakes.bucket(250 * MS));
        assertEquals(7, CompletedHandshakes.bucket(500 * MS));
        assertEquals(8, CompletedHandshakes.bucket(1_000 * MS));
        assertEquals(9, CompletedHandshakes.bucket(2_500 * MS));
        assertEquals(10, CompletedHandshakes.bucket(5_000 * MS));
        assertEquals(11, CompletedHandshakes.bucket(5_000 * MS + 1), "+Inf");
        assertEquals(11, CompletedHandshakes.bucket(Long.MAX_VALUE), "+Inf");
    }

    @Test
    void aSnapshotHoldsTheCountTheSumAndThePerBucketCounts() {
        CompletedHandshakes handshakes = new CompletedHandshakes();
        assertEquals(HandshakeStats.none(), handshakes.snapshot());
        handshakes.record(3 * MS);
        handshakes.record(4 * MS);
        handshakes.record(7_000 * MS);
        handshakes.record(-5); // a clock that stepped back: counted, as 0

        HandshakeStats stats = handshakes.snapshot();
        assertEquals(4, stats.completed());
        assertEquals(4, stats.latencyCount());
        assertEquals(7_007 * MS, stats.latencySumNanos());
        assertEquals(List.of(1L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), stats.bucketCounts());
        assertEquals(HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS, stats.bucketUpperBoundsNanos());
    }

    @Test
    void recordsFromSeveralThreadsAtOnceAreAllCounted() throws Exception {
        CompletedHandshakes handshakes = new CompletedHandshakes();
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long latency = (t + 1) * 20 * MS; // 20, 40, 60, 80 ms: buckets 3, 4, 5, 5
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    handshakes.record(latency);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        HandshakeStats stats = handshakes.snapshot();
        assertEquals(threads * each, stats.completed());
        assertEquals(threads * each, stats.latencyCount());
        assertEquals((long) each * 200 * MS, stats.latencySumNanos());
        assertEquals((long) each, stats.bucketCounts().get(3));
        assertEquals((long) each, stats.bucketCounts().get(4));
        assertEquals(2L * each, stats.bucketCounts().get(5));
    }
}
