package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeFloodDetectorTest {

    private final Fixture f = new Fixture();

    private HandshakeFloodDetector detector(Map<String, Object> config) {
        return new HandshakeFloodDetector(
                f.reporter, TypedConfig.of(HandshakeFloodDetector.Config.class, config), f.clock);
    }

    private void sample(HandshakeFloodDetector d, String source, double total) {
        d.metric(f.counter(HandshakeFloodDetector.METRIC, total, Map.of("interface", "wg0", "source", source)));
    }

    @Test
    void anIncreaseOf499InAMinuteIsNoFloodOf500IsAndTheSourceIsBlocked() {
        HandshakeFloodDetector d = detector(Map.of());
        sample(d, "192.0.2.7", 1000); // the starting point only
        f.clock.advanceSeconds(10);
        sample(d, "192.0.2.7", 1300);
        f.clock.advanceSeconds(10);
        sample(d, "192.0.2.7", 1499);
        assertTrue(f.events.reported.isEmpty());

        f.clock.advanceSeconds(10);
        sample(d, "192.0.2.7", 1500);

        SecurityEvent e = f.events.reported.get(0);
        assertEquals(SecurityEvent.THREAT_HANDSHAKE_FLOOD, e.type());
        assertEquals(Severity.HIGH, e.severity());
        assertEquals(Fixture.address("192.0.2.7"), e.source());
        assertEquals(ResponseAction.BLOCK_SOURCE, f.responses.requests.get(0).action());
        assertEquals("192.0.2.7", f.responses.requests.get(0).target());
        assertEquals(Duration.ofMinutes(15), f.responses.requests.get(0).duration());
    }

    @Test
    void aSlowSteadyRateSlidesOutOfTheWindow() {
        HandshakeFloodDetector d = detector(Map.of());
        double total = 0;
        sample(d, "2001:db8::7", total);
        for (int i = 0; i < 60; i++) { // 80 every 10 s: at most 6 x 80 = 480 in any minute, for ten minutes
            f.clock.advanceSeconds(10);
            total += 80;
            sample(d, "2001:db8::7", total);
        }
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void aCounterThatWentDownRestartedAndItsNewValueIsTheIncrease() {
        HandshakeFloodDetector d = detector(Map.of());
        sample(d, "192.0.2.7", 10_000);
        f.clock.advanceSeconds(10);
        sample(d, "192.0.2.7", 400); // the device restarted: 400 since then
        assertTrue(f.events.reported.isEmpty());
        f.clock.advanceSeconds(10);
        sample(d, "192.0.2.7", 500);
        assertEquals(1, f.events.reported.size(), "400 + 100 within the minute");
    }

    @Test
    void aFloodThatGoesOnIsReportedOnceWhileTheBlockLasts() {
        HandshakeFloodDetector d = detector(Map.of());
        double total = 0;
        sample(d, "192.0.2.7", total);
        for (int i = 0; i < 90; i++) { // found at 10 s, then until 15 minutes after it, 1000 every 10 s
            f.clock.advanceSeconds(10);
            total += 1000;
            sample(d, "192.0.2.7", total);
        }
        assertEquals(1, f.events.reported.size());
        f.clock.advanceSeconds(10);
        total += 1000;
        sample(d, "192.0.2.7", total);
        assertEquals(2, f.events.reported.size(), "the block ran out, the flood did not");
    }

    @Test
    void gaugesOtherMetricsAndSamplesWithoutSourceAreIgnored() {
        HandshakeFloodDetector d = detector(Map.of("threshold", 1L));
        d.metric(MetricSample.gauge(
                HandshakeFloodDetector.METRIC, 0, "1", Map.of("source", "192.0.2.7"), f.clock.instant()));
        d.metric(MetricSample.gauge(
                HandshakeFloodDetector.METRIC, 9, "1", Map.of("source", "192.0.2.7"), f.clock.instant()));
        d.metric(f.counter("handshake.completed", 0, Map.of("source", "192.0.2.8")));
        d.metric(f.counter("handshake.completed", 9, Map.of("source", "192.0.2.8")));
        d.metric(f.counter(HandshakeFloodDetector.METRIC, 0, Map.of("interface", "wg0")));
        d.metric(f.counter(HandshakeFloodDetector.METRIC, 9, Map.of("interface", "wg0")));
        assertTrue(f.events.reported.isEmpty());
    }

    @Test
    void trackedSourcesStayBounded() {
        HandshakeFloodDetector d = detector(Map.of("max_tracked_keys", 50));
        for (int i = 0; i < 500; i++) {
            sample(d, "10.2." + (i / 250) + "." + (i % 250), 0);
            sample(d, "10.2." + (i / 250) + "." + (i % 250), 1);
        }
        assertTrue(d.trackedKeys() <= 100, "at most 50 series and 50 sources: " + d.trackedKeys());
    }

    @Test
    void aZeroThresholdIsRefusedWithTheFix() {
        HandshakeFloodDetector d = detector(Map.of("threshold", 0L));
        assertTrue(
                d.describe()
                        .contains(
                                "Configuration dev.wirehaven.threats.handshake.flood: threshold = '0' is refused: give a whole number"
                                        + " of at least 1"),
                d.describe());
        assertTrue(d.describe().contains(">= 500 within PT1M"), d.describe());
    }
}
