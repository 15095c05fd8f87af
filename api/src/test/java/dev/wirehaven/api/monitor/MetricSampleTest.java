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
    void severitiesAreOrderedByUrgency() {
        assertEquals(true, Severity.CRITICAL.isAtLeast(Severity.HIGH));
        assertEquals(false, Severity.LOW.isAtLeast(Severity.MEDIUM));
    }
}
