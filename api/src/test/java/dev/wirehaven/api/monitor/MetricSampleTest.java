package dev.wirehaven.api.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSampleTest {

    @Test
    void tagsAreCopiedSortedAndUnmodifiable() {
        Map<String, String> tags = new HashMap<>(Map.of("user", "alice", "session", "s1"));
        MetricSample m = new MetricSample("wirehaven.session.rx.bytes", 42, "By", tags, Instant.EPOCH);
        tags.put("user", "mallory");
        assertEquals("alice", m.tags().get("user"));
        assertEquals(List.of("session", "user"), List.copyOf(m.tags().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> m.tags().put("x", "y"));
    }

    @Test
    void nonFiniteValuesAndBlankNamesAreRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> new MetricSample("m", Double.NaN, "1", Map.of(), Instant.EPOCH));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MetricSample("m", Double.POSITIVE_INFINITY, "1", Map.of(), Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> new MetricSample(" ", 1, "1", Map.of(), Instant.EPOCH));
    }

    @Test
    void aSampleMadeAsBefore12IsAGaugeAndCountersCannotBeNegative() {
        assertEquals(MetricSample.Kind.GAUGE, new MetricSample("m", 1, "1", Map.of(), Instant.EPOCH).kind());
        assertEquals(
                MetricSample.Kind.COUNTER,
                MetricSample.counter("m", 1, "1", Map.of(), Instant.EPOCH).kind());
        assertThrows(IllegalArgumentException.class, () -> MetricSample.counter("m", -1, "1", Map.of(), Instant.EPOCH));
        assertEquals(
                -1, MetricSample.gauge("m", -1, "1", Map.of(), Instant.EPOCH).value());
    }

    @Test
    void aHistogramCountsItsObservationsAsItsValue() {
        MetricSample.Buckets b =
                new MetricSample.Buckets(List.of(0.01, 0.1, Double.POSITIVE_INFINITY), List.of(3L, 5L, 6L), 0.42);
        MetricSample h = MetricSample.histogram("handshake.duration", b, "seconds", Map.of(), Instant.EPOCH);
        assertEquals(MetricSample.Kind.HISTOGRAM, h.kind());
        assertEquals(6, h.value());
        assertEquals(b, h.buckets());
        assertEquals(
                null, MetricSample.counter("m", 1, "1", Map.of(), Instant.EPOCH).buckets());
    }

    @Test
    void bucketsThatCannotBeAHistogramAreRefused() {
        double inf = Double.POSITIVE_INFINITY;
        // no +Inf bucket
        assertThrows(IllegalArgumentException.class, () -> new MetricSample.Buckets(List.of(1.0), List.of(1L), 1));
        // bounds not ascending
        assertThrows(
                IllegalArgumentException.class,
                () -> new MetricSample.Buckets(List.of(2.0, 1.0, inf), List.of(1L, 1L, 1L), 1));
        // counts not cumulative
        assertThrows(
                IllegalArgumentException.class, () -> new MetricSample.Buckets(List.of(1.0, inf), List.of(2L, 1L), 1));
        // one count short
        assertThrows(IllegalArgumentException.class, () -> new MetricSample.Buckets(List.of(1.0, inf), List.of(2L), 1));
        // a histogram without buckets, a gauge with them, a value that is not the count
        MetricSample.Buckets b = new MetricSample.Buckets(List.of(inf), List.of(2L), 1);
        assertThrows(
                IllegalArgumentException.class,
                () -> new MetricSample("m", 2, "1", Map.of(), Instant.EPOCH, MetricSample.Kind.HISTOGRAM));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MetricSample("m", 2, "1", Map.of(), Instant.EPOCH, MetricSample.Kind.GAUGE, b));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MetricSample("m", 3, "1", Map.of(), Instant.EPOCH, MetricSample.Kind.HISTOGRAM, b));
    }

    @Test
    void severitiesAreOrderedByUrgency() {
        assertEquals(true, Severity.CRITICAL.isAtLeast(Severity.HIGH));
        assertEquals(false, Severity.LOW.isAtLeast(Severity.MEDIUM));
    }
}
