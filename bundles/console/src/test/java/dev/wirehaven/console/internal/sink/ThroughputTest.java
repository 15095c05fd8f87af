package dev.wirehaven.console.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the server's per-session byte counters become the chart's points. The server samples every ten
 * seconds: per session {@code peer.bytes.received} and {@code peer.bytes.sent}, then the interface's
 * {@code sessions} gauges, all within milliseconds; each test below feeds such bursts.
 */
class ThroughputTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private final Throughput throughput = new Throughput(360, 100);

    /** One device sample of interface {@code iface} at {@code seconds}: per session {rx, tx} totals. */
    private void burst(String iface, long seconds, Map<String, long[]> totals) {
        Instant t = T0.plusSeconds(seconds);
        int ms = 0;
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            Map<String, String> tags = Map.of("interface", iface, "user", "alice", "session", e.getKey());
            throughput.accept(
                    MetricSample.counter("peer.bytes.received", e.getValue()[0], "bytes", tags, t.plusMillis(ms++)));
            throughput.accept(
                    MetricSample.counter("peer.bytes.sent", e.getValue()[1], "bytes", tags, t.plusMillis(ms++)));
        }
        throughput.accept(MetricSample.gauge(
                "sessions", totals.size(), "1", Map.of("interface", iface, "phase", "active"), t.plusMillis(ms)));
    }

    private List<ThroughputPoint> points(String iface) {
        return throughput.byInterface().getOrDefault(iface, List.of());
    }

    @Test
    void ratesAreTheIncreaseOverTheIntervalSummedOverSessions() {
        burst("wg0", 0, Map.of("s1", new long[] {1_000, 500}, "s2", new long[] {0, 0}));
        burst("wg0", 10, Map.of("s1", new long[] {11_000, 2_500}, "s2", new long[] {5_000, 0}));
        burst("wg0", 20, Map.of("s1", new long[] {11_000, 2_500}, "s2", new long[] {5_000, 0}));

        List<ThroughputPoint> p = points("wg0");
        assertEquals(2, p.size(), "the burst at 20 s is still open: " + p);
        // the first sample of a counter is only its baseline
        assertEquals(0, p.get(0).receivedPerSecond(), 1e-9);
        // (10000 + 5000) bytes in 10 s received, 2000 bytes sent
        assertEquals(1_500, p.get(1).receivedPerSecond(), 1e-6);
        assertEquals(200, p.get(1).sentPerSecond(), 1e-6);
        assertEquals(T0.plusSeconds(10), p.get(1).time());
    }

    @Test
    void aCounterThatWentDownStartedAgainFromZero() {
        burst("wg0", 0, Map.of("s1", new long[] {50_000, 50_000}));
        burst("wg0", 10, Map.of("s1", new long[] {3_000, 1_000})); // the peer was re-added: 3000 new bytes
        burst("wg0", 20, Map.of());

        ThroughputPoint restarted = points("wg0").get(1);
        assertEquals(300, restarted.receivedPerSecond(), 1e-6);
        assertEquals(100, restarted.sentPerSecond(), 1e-6);
    }

    @Test
    void anIdleInterfaceHasPointsOfZero() {
        for (int i = 0; i < 4; i++) {
            burst("wg0", i * 10L, Map.of());
        }
        List<ThroughputPoint> p = points("wg0");
        assertEquals(3, p.size());
        assertTrue(p.stream().allMatch(x -> x.receivedPerSecond() == 0 && x.sentPerSecond() == 0), p.toString());
    }

    @Test
    void interfacesAreKeptApart() {
        burst("wg0", 0, Map.of("a", new long[] {0, 0}));
        burst("wg1", 0, Map.of("b", new long[] {0, 0}));
        burst("wg0", 10, Map.of("a", new long[] {10_000, 0}));
        burst("wg1", 10, Map.of("b", new long[] {0, 20_000}));
        burst("wg0", 20, Map.of());
        burst("wg1", 20, Map.of());

        assertEquals(1_000, points("wg0").get(1).receivedPerSecond(), 1e-6);
        assertEquals(0, points("wg0").get(1).sentPerSecond(), 1e-6);
        assertEquals(2_000, points("wg1").get(1).sentPerSecond(), 1e-6);
    }

    @Test
    void keepsOnlyTheLastPointsPerInterface() {
        Throughput small = new Throughput(5, 10);
        for (int i = 0; i < 50; i++) {
            small.accept(MetricSample.gauge(
                    "sessions", 0, "1", Map.of("interface", "wg0", "phase", "active"), T0.plusSeconds(i * 10L)));
        }
        List<ThroughputPoint> p = small.byInterface().get("wg0");
        assertEquals(5, p.size());
        assertEquals(T0.plusSeconds(480), p.get(4).time(), "the newest closed burst is the one before the last");
    }

    @Test
    void countersOfEndedSessionsAreForgotten_andTheirNumberIsBounded() {
        Throughput bounded = new Throughput(360, 3);
        Map<String, String> base = Map.of("interface", "wg0", "user", "u");
        for (int s = 0; s < 10; s++) {
            Map<String, String> tags = new java.util.HashMap<>(base);
            tags.put("session", "s" + s);
            bounded.accept(MetricSample.counter("peer.bytes.received", 1, "bytes", tags, T0));
        }
        assertEquals(3, bounded.trackedCounters("wg0"));
        // a minute and more later, only gauges: the sessions have ended
        Instant later = T0.plus(Duration.ofSeconds(61));
        bounded.accept(MetricSample.gauge("sessions", 0, "1", Map.of("interface", "wg0"), later));
        assertEquals(0, bounded.trackedCounters("wg0"));
    }

    @Test
    void samplesWithoutAnInterfaceAndTooManyInterfacesAreIgnored() {
        throughput.accept(MetricSample.counter("peer.bytes.received", 5, "bytes", Map.of("session", "x"), T0));
        assertTrue(throughput.byInterface().isEmpty());
        for (int i = 0; i < Throughput.MAX_INTERFACES + 10; i++) {
            throughput.accept(MetricSample.gauge("sessions", 0, "1", Map.of("interface", "wg" + i), T0));
        }
        assertEquals(Throughput.MAX_INTERFACES, throughput.byInterface().size());
    }

    @Test
    void theConsoleSinkFeedsItsThroughputFromMetrics() {
        ConsoleSink sink = new ConsoleSink(10, 360, 100);
        Map<String, String> tags = Map.of("interface", "wg0", "user", "u", "session", "s");
        sink.metric(MetricSample.counter("peer.bytes.received", 0, "bytes", tags, T0));
        sink.metric(MetricSample.counter("peer.bytes.received", 40_960, "bytes", tags, T0.plusSeconds(10)));
        sink.metric(MetricSample.gauge("sessions", 1, "1", Map.of("interface", "wg0"), T0.plusSeconds(20)));
        assertEquals(4_096, sink.throughput().byInterface().get("wg0").get(1).receivedPerSecond(), 1e-6);
    }
}
