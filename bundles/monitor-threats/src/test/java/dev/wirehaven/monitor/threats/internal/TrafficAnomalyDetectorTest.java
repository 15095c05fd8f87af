package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server samples each session's byte counters every 10 s; these tests do the same on a test clock,
 * one tick at a time, with each series's rate in bytes per second. An interval is judged when the next
 * tick's reports arrive, so a test that wants one interval judged ticks twice.
 */
class TrafficAnomalyDetectorTest {

    private static final double MB = 1_000_000;

    private final Fixture f = new Fixture();
    private final Map<String, Double> totals = new HashMap<>();

    private TrafficAnomalyDetector detector(Map<String, Object> config) {
        return new TrafficAnomalyDetector(
                f.reporter, TypedConfig.of(TrafficAnomalyDetector.Config.class, config), f.clock);
    }

    /** One sampling tick: every series ("user/session/metric") grows by its rate over 10 s. */
    private void tick(TrafficAnomalyDetector d, Map<String, Double> ratesBySeries) {
        f.clock.advanceSeconds(10);
        ratesBySeries.forEach((series, rate) -> {
            String[] p = series.split("/");
            double total = totals.merge(series, rate * 10, Double::sum);
            d.metric(f.counter(p[2], total, Map.of("interface", "wg0", "user", p[0], "session", p[1])));
        });
    }

    private void ticks(TrafficAnomalyDetector d, int n, Map<String, Double> rates) {
        for (int i = 0; i < n; i++) {
            tick(d, rates);
        }
    }

    private static Map<String, Double> alice(double bytesPerSecond) {
        return Map.of("alice/s1/" + TrafficAnomalyDetector.RECEIVED, bytesPerSecond);
    }

    /**
     * A detector that has learned alice at {@code rate}: the starting points, the interval that saw only
     * them, and 30 learning intervals.
     */
    private TrafficAnomalyDetector learned(double rate) {
        TrafficAnomalyDetector d = detector(Map.of());
        ticks(d, 32, alice(rate));
        assertEquals(rate, d.baselineOf("alice"), 1e-6);
        return d;
    }

    @Test
    void nothingIsJudgedWhileTheBaselineLearns() {
        TrafficAnomalyDetector d = detector(Map.of());
        ticks(d, 20, alice(0.1 * MB));
        ticks(d, 1, alice(500 * MB)); // the 20th of 30 learning intervals
        ticks(d, 1, alice(0.1 * MB));
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void aboveTenTimesTheBaselineAndTheFloorIsAnAlertForTheUser() {
        TrafficAnomalyDetector d = learned(2 * MB);
        ticks(d, 2, alice(20 * MB)); // exactly ten times: not above
        assertTrue(f.events.reported.isEmpty());

        TrafficAnomalyDetector fresh = learned(2 * MB);
        ticks(fresh, 2, alice(20.1 * MB));

        SecurityEvent e = f.events.reported.get(0);
        assertEquals(SecurityEvent.THREAT_TRAFFIC_ANOMALY, e.type());
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals("alice", e.user());
        assertEquals("user 'alice' moved 20.10 MB/s over the last PT10S, 10 times the usual 2 MB/s", e.detail());
        assertEquals(ResponseAction.ALERT, f.responses.requests.get(0).action());
        assertEquals("alice", f.responses.requests.get(0).target());
    }

    @Test
    void belowTheAbsoluteFloorIsNoFindingHoweverManyTimesTheBaseline() {
        TrafficAnomalyDetector d = learned(0.1 * MB);
        ticks(d, 2, alice(9.99 * MB)); // 99 times, but under 10 MB/s
        assertTrue(f.events.reported.isEmpty());

        TrafficAnomalyDetector fresh = learned(0.1 * MB);
        ticks(fresh, 2, alice(10 * MB));
        assertEquals(1, f.events.reported.size());
    }

    @Test
    void aLastingAnomalyNeitherRaisesTheBaselineNorStormsFindings() {
        TrafficAnomalyDetector d = learned(1 * MB);
        ticks(d, 100, alice(50 * MB)); // 1000 s of exfiltration

        assertEquals(1 * MB, d.baselineOf("alice"), 1e-6, "anomalous intervals are left out of the baseline");
        assertEquals(2, f.events.reported.size(), "one at the start, one when the 15 minutes are over");
    }

    @Test
    void normalIntervalsMoveTheBaselineByTheirWeight() {
        TrafficAnomalyDetector d = learned(1 * MB);
        tick(d, alice(3 * MB));
        tick(d, alice(1 * MB));
        assertEquals(1.2 * MB, d.baselineOf("alice"), 1e-6);
    }

    @Test
    void theRateIsTheSumOverTheUsersSessionsAndBothDirections() {
        TrafficAnomalyDetector d = detector(Map.of());
        Map<String, Double> normal = new LinkedHashMap<>();
        normal.put("alice/s1/" + TrafficAnomalyDetector.RECEIVED, 0.25 * MB);
        normal.put("alice/s1/" + TrafficAnomalyDetector.SENT, 0.25 * MB);
        normal.put("alice/s2/" + TrafficAnomalyDetector.RECEIVED, 0.25 * MB);
        normal.put("alice/s2/" + TrafficAnomalyDetector.SENT, 0.25 * MB);
        normal.put("bob/s3/" + TrafficAnomalyDetector.RECEIVED, 8 * MB);
        ticks(d, 40, normal);
        assertEquals(1 * MB, d.baselineOf("alice"), 1e-6);

        Map<String, Double> heavy = new LinkedHashMap<>();
        normal.keySet()
                .forEach(k -> heavy.put(k, k.startsWith("alice") ? 3 * MB : 8 * MB)); // 12 MB/s, each under the floor
        ticks(d, 2, heavy);

        assertEquals(1, f.events.reported.size());
        assertEquals("alice", f.events.reported.get(0).user());
    }

    @Test
    void aCounterThatRestartedCountsItsNewValueNotANegativeOrHugeJump() {
        TrafficAnomalyDetector d = learned(1 * MB);
        totals.put("alice/s1/" + TrafficAnomalyDetector.RECEIVED, 0.0); // the session's counter starts again
        ticks(d, 2, alice(1 * MB));
        assertEquals(1 * MB, d.baselineOf("alice"), 1e-6);
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void trackedUsersStayBounded() {
        TrafficAnomalyDetector d = detector(Map.of("max_tracked_keys", 10));
        Map<String, Double> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("user" + i + "/s" + i + "/" + TrafficAnomalyDetector.SENT, 1 * MB);
        }
        ticks(d, 3, many);
        assertEquals(10, d.trackedUsers());
    }

    @Test
    void aBaselineWeightAboveOneIsRefused() {
        TrafficAnomalyDetector d = detector(Map.of("baseline_weight", 1.5));
        assertTrue(
                d.describe().contains("baseline.weight = '1.5' is refused: give a number above 0 and at most 1"),
                d.describe());
        assertTrue(d.describe().contains("weight 0.10"), d.describe());
    }
}
