package dev.wirehaven.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeStatsTest {

    @Test
    void noHandshakeHasTheDevicesTwelveBucketsAllEmptyAndNoAverage() {
        HandshakeStats none = HandshakeStats.none();
        assertEquals(12, none.bucketUpperBoundsNanos().size());
        assertEquals(1_000_000L, none.bucketUpperBoundsNanos().get(0));
        assertEquals(5_000_000_000L, none.bucketUpperBoundsNanos().get(10));
        assertEquals(Long.MAX_VALUE, none.bucketUpperBoundsNanos().get(11), "+Inf");
        assertEquals(Collections.nCopies(12, 0L), none.bucketCounts());
        assertEquals(0.0, none.latencyAverageNanos());
    }

    @Test
    void theAverageIsTheSumOverTheMeasuredLatencies() {
        List<Long> counts = new ArrayList<>(Collections.nCopies(12, 0L));
        counts.set(4, 4L);
        HandshakeStats stats =
                new HandshakeStats(4, 4, 150_000_000, HandshakeStats.LATENCY_BUCKET_UPPER_BOUNDS_NANOS, counts);
        assertEquals(37_500_000.0, stats.latencyAverageNanos());
    }

    @Test
    void bucketsMustMatchTheirBoundsAndBoundsMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeStats(0, 0, 0, List.of(1L, 2L), List.of(0L)));
        assertThrows(
                IllegalArgumentException.class, () -> new HandshakeStats(0, 0, 0, List.of(2L, 2L), List.of(0L, 0L)));
    }

    @Test
    void theListsAreCopiesThatNobodyCanChange() {
        List<Long> counts = new ArrayList<>(List.of(1L, 0L));
        HandshakeStats stats = new HandshakeStats(1, 1, 5, List.of(10L, Long.MAX_VALUE), counts);
        counts.set(0, 9L);
        assertEquals(List.of(1L, 0L), stats.bucketCounts());
        assertThrows(
                UnsupportedOperationException.class, () -> stats.bucketCounts().set(0, 2L));
    }

    @Test
    void snapshotsInTheEarlierShapesReportNoHandshake() {
        DeviceSnapshot old = new DeviceSnapshot(null, 0, 0, List.of(), Map.of());
        assertEquals(HandshakeStats.none(), old.handshakes());
        DeviceSnapshot withSources = new DeviceSnapshot(null, 0, 0, List.of(), Map.of(), List.of(), Map.of());
        assertEquals(HandshakeStats.none(), withSources.handshakes());
    }
}
