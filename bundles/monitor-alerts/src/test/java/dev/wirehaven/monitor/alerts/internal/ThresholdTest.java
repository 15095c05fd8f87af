package dev.wirehaven.monitor.alerts.internal;

import static dev.wirehaven.monitor.alerts.internal.TestThresholdConfig.threshold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A threshold configuration becomes a threshold, or is refused with the key and the fix. */
class ThresholdTest {

    @Test
    void aClearLevelNotBelowTheRaiseLevelOfAnAboveThresholdIsRefusedWithTheFix() {
        var e = assertThrows(
                ThresholdConfigException.class,
                () -> threshold("heap", "jvm.heap.used", 100, 100).build());
        assertEquals(
                "clear = 100.0 is not below raise = 100.0 (direction = above): set clear lower than raise, e.g."
                        + " clear = 90, so that a value near the line does not raise and clear by turns",
                e.getMessage());
    }

    @Test
    void aClearLevelNotAboveTheRaiseLevelOfABelowThresholdIsRefusedWithTheFix() {
        var e = assertThrows(
                ThresholdConfigException.class,
                () -> threshold("idle", "sessions", 5, 2).direction("below").build());
        assertTrue(e.getMessage()
                .startsWith("clear = 2.0 is not above raise = 5.0 (direction = below): set clear"
                        + " higher than raise, e.g. clear = 5.5"));
    }

    @Test
    void unknownWordsAreRefusedNamingTheKeyAndTheChoices() {
        assertEquals(
                "direction = upward is not one of above, below: set one of them",
                refusal(threshold("x", "m", 1, 0).direction("upward")));
        assertEquals(
                "measure = delta is not one of value, rate: set one of them",
                refusal(threshold("x", "m", 1, 0).measure("delta")));
        assertEquals(
                "aggregation = avg is not one of each, sum: set one of them",
                refusal(threshold("x", "m", 1, 0).aggregation("avg")));
        assertEquals(
                "severity = urgent is not one of info, low, medium, high, critical: set one of them",
                refusal(threshold("x", "m", 1, 0).severity("urgent")));
    }

    @Test
    void incompleteOrContradictoryConfigurationsAreRefused() {
        assertEquals(
                "metric is empty: set metric to the metric to watch, such as jvm.heap.used",
                refusal(threshold("x", " ", 1, 0)));
        assertEquals("name is empty: set name to a short name such as heap", refusal(threshold(null, "m", 1, 0)));
        assertEquals(
                "clear is not set: set clear to the level at which a raised alert clears, a number",
                refusal(threshold("x", "m", 1, 0).clear(Double.NaN)));
        assertEquals(
                "samples = 0 is below 1: set samples = 1 to raise on the first sample",
                refusal(threshold("x", "m", 1, 0).samples(0)));
        assertEquals(
                "tags entry 'wg0' is not tag=value: write it as e.g. tags = interface=wg0",
                refusal(threshold("x", "m", 1, 0).tags("wg0")));
        assertEquals(
                "sum.by = interface needs aggregation = sum: set it, or remove sum.by",
                refusal(threshold("x", "m", 1, 0).sumBy("interface")));
        assertEquals(
                "relative.to = jvm.heap.max cannot be combined with aggregation = sum: use aggregation = each, or"
                        + " remove relative.to",
                refusal(threshold("x", "m", 1, 0).sum().relativeTo("jvm.heap.max")));
    }

    @Test
    void tagsMayBeCommaSeparatedAndWordsAnyCase() {
        Threshold t = threshold("x", "sessions", 10, 5)
                .tags("interface=wg0, phase=active")
                .direction("ABOVE")
                .severity("Critical")
                .build();

        assertEquals(Map.of("interface", "wg0", "phase", "active"), t.match());
        assertEquals(Severity.CRITICAL, t.severity());
        assertTrue(t.matches(Map.of("interface", "wg0", "phase", "active", "user", "a")));
        assertFalse(t.matches(Map.of("interface", "wg0", "phase", "authenticating")));
        assertFalse(t.matches(Map.of("phase", "active")));
    }

    @Test
    void theLevelsThemselvesCountAsPastThem() {
        Threshold above = threshold("x", "m", 100, 80).build();
        assertTrue(above.pastRaise(100));
        assertFalse(above.pastRaise(99.99));
        assertTrue(above.pastClear(80));
        assertFalse(above.pastClear(80.01));
    }

    @Test
    void aSumKeepsOnlyItsSumByTags() {
        Threshold t = threshold("x", "sessions", 10, 5).sum("interface").build();

        assertEquals(Map.of("interface", "wg0"), t.checkedTags(Map.of("interface", "wg0", "phase", "active")));
    }

    @Test
    void aComponentRefusesABadConfigurationByThrowing() {
        var config = threshold("heap", "jvm.heap.used", 0.8, 0.9);
        Map<String, Object> properties = Map.of("service.pid", ThresholdComponent.PID + ".1234");

        assertThrows(ThresholdConfigException.class, () -> new ThresholdComponent(config, properties));
        assertEquals(
                "heap",
                new ThresholdComponent(threshold("heap", "jvm.heap.used", 0.9, 0.8), properties)
                        .threshold()
                        .name());
    }

    private static String refusal(TestThresholdConfig config) {
        return assertThrows(ThresholdConfigException.class, config::build).getMessage();
    }
}
