package dev.wirehaven.monitor.alerts.internal;

import static dev.wirehaven.monitor.alerts.internal.TestThresholdConfig.threshold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink driven with samples on a test clock, as the server delivers them about every 10 s. */
class AlertsSinkTest {

    private static final long MIB = 1024L * 1024;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final List<SecurityEvent> events = new ArrayList<>();
    private final AlertsSink sink = new AlertsSink(events::add, clock);

    @Test
    void aGaugeAtTheRaiseLevelRaisesOneAlertWithTheThresholdsSeverity() {
        sink.add(threshold("latency", "handshake.latency", 1, 0.5)
                .severity("high")
                .build());

        gauge("handshake.latency", 0.4, "seconds", Map.of());
        assertTrue(events.isEmpty());
        tick();
        gauge("handshake.latency", 1.25, "seconds", Map.of());
        tick();
        gauge("handshake.latency", 1.5, "seconds", Map.of());

        assertEquals(1, events.size());
        SecurityEvent raised = events.get(0);
        assertEquals(SecurityEvent.ALERT_RAISED, raised.type());
        assertEquals(Severity.HIGH, raised.severity());
        assertEquals("", raised.user());
        assertNull(raised.source());
        assertEquals(clock.instant().minusSeconds(10), raised.timestamp());
        assertEquals("threshold \"latency\" raised: handshake.latency{} = 1.25 s above 1 s", raised.detail());
    }

    @Test
    void aRaisedAlertClearsAsInfoOnlyAtOrPastTheClearLevel() {
        sink.add(threshold("heap", "jvm.heap.used", 800 * MIB, 700 * MIB).build());

        gauge("jvm.heap.used", 912 * MIB, "bytes", Map.of());
        tick();
        gauge("jvm.heap.used", 750 * MIB, "bytes", Map.of()); // under raise, above clear: still raised
        assertEquals(1, events.size());
        tick();
        gauge("jvm.heap.used", 700 * MIB, "bytes", Map.of());

        assertEquals(2, events.size());
        assertEquals(
                "threshold \"heap\" raised: jvm.heap.used{} = 912 MiB above 800 MiB",
                events.get(0).detail());
        SecurityEvent cleared = events.get(1);
        assertEquals(SecurityEvent.ALERT_CLEARED, cleared.type());
        assertEquals(Severity.INFO, cleared.severity());
        assertEquals(
                "threshold \"heap\" cleared: jvm.heap.used{} = 700 MiB, back at or below 700 MiB", cleared.detail());
        assertTrue(sink.board().raised().isEmpty());
    }

    @Test
    void aValueOscillatingAroundTheRaiseLevelRaisesOnceAndNeverClears() {
        sink.add(threshold("sessions", "sessions", 100, 90).build());

        for (int i = 0; i < 30; i++) {
            gauge("sessions", i % 2 == 0 ? 101 : 99, "1", Map.of());
            tick();
        }

        assertEquals(List.of(SecurityEvent.ALERT_RAISED), types());
        assertEquals(1, sink.board().raised().size());
    }

    @Test
    void anAlertWaitsForTheConfiguredSamplesInARow() {
        sink.add(threshold("cpu", "process.cpu.load", 0.9, 0.7).samples(3).build());

        for (double load : new double[] {0.95, 0.97, 0.5, 0.92, 0.93}) {
            gauge("process.cpu.load", load, "1", Map.of());
            tick();
        }
        assertTrue(events.isEmpty(), "a dip restarts the count");

        gauge("process.cpu.load", 0.91, "1", Map.of());
        assertEquals(1, events.size());
        assertEquals(
                "threshold \"cpu\" raised: process.cpu.load{} = 0.91 above 0.9 for 3 samples in a row",
                events.get(0).detail());
    }

    @Test
    void directionBelowRaisesLowValuesAndClearsAboveTheClearLevel() {
        sink.add(threshold("idle", "sessions", 1, 3).direction("below").build());

        gauge("sessions", 5, "1", Map.of());
        tick();
        gauge("sessions", 1, "1", Map.of());
        tick();
        gauge("sessions", 2, "1", Map.of());
        tick();
        gauge("sessions", 3, "1", Map.of());

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertEquals(
                "threshold \"idle\" raised: sessions{} = 1 below 1",
                events.get(0).detail());
        assertEquals(
                "threshold \"idle\" cleared: sessions{} = 3, back at or above 3",
                events.get(1).detail());
    }

    @Test
    void aCounterIsCheckedAsItsRatePerSecondBetweenConsecutiveSamples() {
        sink.add(
                threshold("drops", "interface.drops", 1000, 100).measure("rate").build());
        Map<String, String> tags = Map.of("interface", "wg0", "reason", "no-peer");

        counter("interface.drops", 50_000, tags); // a first sample has no rate
        tick();
        counter("interface.drops", 59_000, tags); // 900/s
        tick();
        counter("interface.drops", 69_000, tags); // 1000/s

        assertEquals(1, events.size());
        assertEquals(
                "threshold \"drops\" raised: rate of interface.drops{interface=wg0, reason=no-peer}"
                        + " = 1000 packets/s above 1000 packets/s",
                events.get(0).detail());
    }

    @Test
    void aCounterThatWentDownRestartedAndThatIntervalIsSkipped() {
        sink.add(
                threshold("drops", "interface.drops", 1000, 100).measure("rate").build());
        Map<String, String> tags = Map.of("interface", "wg0", "reason", "no-peer");

        counter("interface.drops", 0, tags);
        tick();
        counter("interface.drops", 20_000, tags); // 2000/s: raised
        tick();
        counter("interface.drops", 10, tags); // restarted: no rate, so no clear
        tick();
        counter("interface.drops", 15_010, tags); // 1500/s: still raised, nothing new
        tick();
        counter("interface.drops", 15_510, tags); // 50/s: cleared

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertTrue(events.get(1).detail().contains("= 50 packets/s, back at or below 100 packets/s"));
    }

    @Test
    void aShareDividesByTheLatestValueOfTheOtherMetricWithTheSameTags() {
        sink.add(threshold("heap", "jvm.heap.used", 0.9, 0.8)
                .relativeTo("jvm.heap.max")
                .build());

        gauge("jvm.heap.used", 990 * MIB, "bytes", Map.of()); // no maximum known yet: nothing to divide by
        gauge("jvm.heap.max", 1000 * MIB, "bytes", Map.of());
        assertTrue(events.isEmpty());
        tick();
        gauge("jvm.heap.used", 950 * MIB, "bytes", Map.of());
        gauge("jvm.heap.max", 2000 * MIB, "bytes", Map.of()); // the heap grew: the next share uses this
        tick();
        gauge("jvm.heap.used", 1500 * MIB, "bytes", Map.of()); // 0.75 of the new maximum

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertEquals(
                "threshold \"heap\" raised: jvm.heap.used/jvm.heap.max{} = 0.95 above 0.9",
                events.get(0).detail());
        assertEquals(
                "threshold \"heap\" cleared: jvm.heap.used/jvm.heap.max{} = 0.75, back at or below 0.8",
                events.get(1).detail());
    }

    @Test
    void aSumIsCheckedPerSumByTagOnceItsRoundOfSamplesIsComplete() {
        sink.add(threshold("sessions", "sessions", 1000, 900).sum("interface").build());

        sessionsRound(Map.of("wg0", new int[] {300, 800}, "wg1", new int[] {100, 200}));
        assertTrue(events.isEmpty(), "the round is checked when the next one begins");
        tick();
        sessionsRound(Map.of("wg0", new int[] {300, 650}, "wg1", new int[] {100, 200}));

        assertEquals(1, events.size());
        assertEquals(
                "threshold \"sessions\" raised: sum of sessions{interface=wg0} = 1100 above 1000",
                events.get(0).detail());
        tick();
        gauge("process.cpu.load", 0.1, "1", Map.of()); // any later sample closes the round: 950 is above 900
        assertEquals(1, events.size());
        tick();
        sessionsRound(Map.of("wg0", new int[] {300, 600}));
        tick();
        gauge("process.cpu.load", 0.1, "1", Map.of());

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertEquals(
                "threshold \"sessions\" cleared: sum of sessions{interface=wg0} = 900, back at or below 900",
                events.get(1).detail());
    }

    @Test
    void aSumOfRatesLeavesOutTheSeriesWithoutARateThisRound() {
        sink.add(threshold("drops", "interface.drops", 1000, 100)
                .measure("rate")
                .sum("interface")
                .build());
        Map<String, String> noPeer = Map.of("interface", "wg0", "reason", "no-peer");
        Map<String, String> mtu = Map.of("interface", "wg0", "reason", "mtu");

        counter("interface.drops", 0, noPeer);
        counter("interface.drops", 0, mtu);
        tick();
        counter("interface.drops", 6_000, noPeer); // 600/s
        counter("interface.drops", 5_000, mtu); // 500/s: 1100/s together
        tick();
        counter("interface.drops", 12_000, noPeer); // 600/s
        counter("interface.drops", 3, mtu); // restarted: left out, 600/s is not a clear
        tick();
        counter("interface.drops", 12_500, noPeer); // 50/s
        counter("interface.drops", 103, mtu); // 10/s
        tick();
        gauge("process.cpu.load", 0.1, "1", Map.of());

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertEquals(
                "threshold \"drops\" raised: sum of the rates of interface.drops{interface=wg0}"
                        + " = 1100 packets/s above 1000 packets/s",
                events.get(0).detail());
        assertTrue(events.get(1).detail().endsWith("= 60 packets/s, back at or below 100 packets/s"));
    }

    @Test
    void aSumOverAllSeriesWithoutSumByHasOneSeries() {
        sink.add(threshold("all", "sessions", 1000, 900).aggregation("sum").build());

        sessionsRound(Map.of("wg0", new int[] {300, 400}, "wg1", new int[] {200, 200}));
        tick();
        gauge("process.cpu.load", 0.1, "1", Map.of());

        assertEquals(
                "threshold \"all\" raised: sum of sessions{} = 1100 above 1000",
                events.get(0).detail());
        assertEquals(1, sink.board().thresholds().get(0).series());
    }

    @Test
    void aSeriesUnseenForTenMinutesIsForgottenAndItsAlertClearedAsGone() {
        sink.add(threshold("stale", "peer.handshake.age", 180, 150).build());
        Map<String, String> alice = Map.of("interface", "wg0", "user", "alice", "session", "s1");
        Map<String, String> bob = Map.of("interface", "wg0", "user", "bob", "session", "s2");

        gauge("peer.handshake.age", 200, "seconds", alice);
        gauge("peer.handshake.age", 20, "seconds", bob);
        assertEquals("alice", events.get(0).user());
        assertEquals(2, sink.board().rememberedSeries());
        // alice's session ended; bob's goes on being sampled
        for (int i = 0; i < 60; i++) {
            tick();
            gauge("peer.handshake.age", 20, "seconds", bob);
        }
        assertEquals(1, events.size(), "10 minutes are not yet past");
        tick();
        gauge("peer.handshake.age", 20, "seconds", bob);

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        SecurityEvent gone = events.get(1);
        assertEquals("alice", gone.user());
        assertEquals(Severity.INFO, gone.severity());
        assertEquals(
                "threshold \"stale\" cleared: peer.handshake.age{interface=wg0, session=s1, user=alice}"
                        + " went away (not seen for 10 min)",
                gone.detail());
        assertEquals(1, sink.board().rememberedSeries());
        assertEquals(1, sink.board().thresholds().get(0).series());
    }

    @Test
    void aSessionThatEndedHasItsAlertsClearedAtOnce() {
        sink.add(threshold("stale", "peer.handshake.age", 180, 150).build());
        Map<String, String> alice = Map.of("interface", "wg0", "user", "alice", "session", "s1");
        Map<String, String> bob = Map.of("interface", "wg0", "user", "bob", "session", "s2");
        gauge("peer.handshake.age", 200, "seconds", alice);
        gauge("peer.handshake.age", 300, "seconds", bob);
        tick();

        sink.sessionEvent(new SessionEvent("s1", "alice", SessionPhase.ACTIVE, clock.instant(), ""));
        assertEquals(2, events.size(), "a phase that does not end the session changes nothing");
        sink.sessionEvent(new SessionEvent("s1", "alice", SessionPhase.DISCONNECTED, clock.instant(), "bye"));

        assertEquals(3, events.size());
        assertEquals(SecurityEvent.ALERT_CLEARED, events.get(2).type());
        assertEquals("alice", events.get(2).user());
        assertEquals(
                "threshold \"stale\" cleared: peer.handshake.age{interface=wg0, session=s1, user=alice}"
                        + " went away (its session ended)",
                events.get(2).detail());
        assertEquals(1, sink.board().raised().size(), "bob's alert stays");
        assertEquals(1, sink.board().rememberedSeries());
    }

    @Test
    void onlySeriesWithTheMatchedTagsAreChecked() {
        sink.add(threshold("wg0", "sessions", 10, 5).tags("interface=wg0").build());

        gauge("sessions", 50, "1", Map.of("interface", "wg1", "phase", "active"));
        assertTrue(events.isEmpty());
        gauge("sessions", 50, "1", Map.of("interface", "wg0", "phase", "active"));

        assertEquals(
                "threshold \"wg0\" raised: sessions{interface=wg0, phase=active} = 50 above 10",
                events.get(0).detail());
    }

    @Test
    void metricsNoThresholdWatchesAreNotRemembered() {
        sink.add(threshold("cpu", "process.cpu.load", 0.9, 0.7).build());

        for (int s = 0; s < 100; s++) {
            counter("peer.bytes.sent", s, Map.of("session", "s" + s));
        }
        gauge("process.cpu.load", 0.2, "1", Map.of());

        assertEquals(1, sink.board().rememberedSeries());
    }

    @Test
    void removingAThresholdClearsItsRaisedAlerts() {
        Threshold cpu = threshold("cpu", "process.cpu.load", 0.9, 0.7).build();
        sink.add(cpu);
        gauge("process.cpu.load", 0.99, "1", Map.of());

        sink.remove(cpu);

        assertEquals(List.of(SecurityEvent.ALERT_RAISED, SecurityEvent.ALERT_CLEARED), types());
        assertEquals(
                "threshold \"cpu\" cleared: process.cpu.load{} is no longer checked (the threshold was removed or"
                        + " changed)",
                events.get(1).detail());
        assertTrue(sink.board().thresholds().isEmpty());
    }

    @Test
    void aSecondThresholdOfTheSameNameIsRefusedAndTheFirstGoesOn() {
        Threshold first = threshold("cpu", "process.cpu.load", 0.9, 0.7).build();
        Threshold second = threshold("cpu", "process.cpu.load", 0.5, 0.4).build();
        sink.add(first);
        sink.add(second);
        sink.remove(second); // removing the refused one must not remove the first

        gauge("process.cpu.load", 0.6, "1", Map.of());
        assertTrue(events.isEmpty());
        gauge("process.cpu.load", 0.95, "1", Map.of());
        assertEquals(1, events.size());
        assertEquals(
                List.of(first),
                sink.board().thresholds().stream()
                        .map(AlertBoard.Status::threshold)
                        .toList());
    }

    private void sessionsRound(Map<String, int[]> perInterface) {
        perInterface.forEach((iface, counts) -> {
            gauge("sessions", counts[0], "1", Map.of("interface", iface, "phase", "authenticating"));
            if (counts.length > 1) {
                gauge("sessions", counts[1], "1", Map.of("interface", iface, "phase", "active"));
            }
        });
    }

    private void tick() {
        clock.advance(Duration.ofSeconds(10));
    }

    private void gauge(String name, double value, String unit, Map<String, String> tags) {
        sink.metric(MetricSample.gauge(name, value, unit, tags, clock.instant()));
    }

    private void counter(String name, double value, Map<String, String> tags) {
        sink.metric(MetricSample.counter(name, value, "packets", tags, clock.instant()));
    }

    private List<String> types() {
        return events.stream().map(SecurityEvent::type).toList();
    }
}
