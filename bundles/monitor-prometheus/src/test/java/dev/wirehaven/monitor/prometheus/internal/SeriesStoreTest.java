package dev.wirehaven.monitor.prometheus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.MetricSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final SeriesStore store = new SeriesStore(clock, Duration.ofMinutes(10), 3);

    private MetricSample bytes(String session, double value, Instant at) {
        return MetricSample.counter("session.bytes.received", value, "bytes", Map.of("session", session), at);
    }

    @Test
    void theNewestSampleOfASeriesWinsWhateverOrderTheyArriveIn() {
        store.record(bytes("s1", 200, clock.now.plusSeconds(2)));
        store.record(bytes("s1", 100, clock.now.plusSeconds(1)));
        List<Series> live = store.live();
        assertEquals(1, live.size());
        assertEquals(200, live.get(0).value());
    }

    @Test
    void aSeriesNotSampledForTheStaleTimeIsDropped() {
        store.record(bytes("ended", 1, clock.now));
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        store.record(bytes("open", 1, clock.now));
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        List<Series> live = store.live();
        assertEquals(1, live.size());
        assertEquals("open", live.get(0).labels().get("session"));
    }

    @Test
    void beyondTheLimitNewSeriesAreRefusedAndCountedWhileKnownOnesStillUpdate() {
        for (int i = 0; i < 5; i++) {
            store.record(bytes("s" + i, i, clock.now));
        }
        assertEquals(3, store.live().size());
        assertEquals(2, store.refusedBecauseFull());
        store.record(bytes("s0", 42, clock.now.plusSeconds(1)));
        assertEquals(
                42,
                store.live().stream()
                        .filter(s -> s.labels().get("session").equals("s0"))
                        .findFirst()
                        .orElseThrow()
                        .value());
    }

    @Test
    void aNameKeepsTheKindOfItsFirstSample() {
        store.record(bytes("s1", 1, clock.now));
        store.record(MetricSample.gauge("session.bytes.received", 5, "bytes", Map.of("session", "s2"), clock.now));
        assertEquals(1, store.live().size());
        assertEquals(1, store.refusedBecauseOfKind());
    }

    @Test
    void namesFollowPrometheusConventions() {
        SeriesName bytes = SeriesName.of(bytes("s", 1, clock.now));
        assertEquals("wirehaven_session_received_bytes", bytes.name());
        SeriesName latency =
                SeriesName.of(MetricSample.gauge("wirehaven.client.latency", 250, "ms", Map.of(), clock.now));
        assertEquals("wirehaven_client_latency_seconds", latency.name());
        assertEquals(0.001, latency.scale());
        SeriesName packets =
                SeriesName.of(MetricSample.counter("policy.denied.packets", 3, "packets", Map.of(), clock.now));
        assertEquals("wirehaven_policy_denied_packets", packets.name());
        SeriesName total = SeriesName.of(MetricSample.counter("auth.attempts.total", 3, "1", Map.of(), clock.now));
        assertEquals("wirehaven_auth_attempts", total.name());
    }
}
