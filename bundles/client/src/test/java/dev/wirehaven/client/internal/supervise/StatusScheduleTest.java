package dev.wirehaven.client.internal.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(15);

    @Test
    void reportsEveryIntervalWhileNoReauthenticationIsDue() {
        assertEquals(INTERVAL, Reauthentication.nextReport(INTERVAL, null, NOW));
        assertEquals(INTERVAL, Reauthentication.nextReport(INTERVAL, NOW.plusSeconds(3600), NOW));
    }

    @Test
    void comesEarlyWhenReauthenticationFallsDueBeforeTheNextReport() {
        assertEquals(Duration.ofSeconds(6), Reauthentication.nextReport(INTERVAL, NOW.plusSeconds(6), NOW));
    }

    @Test
    void comesAtOnceWhenReauthenticationIsOverdue() {
        assertEquals(Duration.ZERO, Reauthentication.nextReport(INTERVAL, NOW.minusSeconds(2), NOW));
    }

    @Test
    void reauthenticationIsDueAFifthOfTheRemainingLifetimeBeforeTheExpiry() {
        Reauthentication r = new Reauthentication(null, null, Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(NOW.plusSeconds(800), r.dueBefore(NOW.plusSeconds(1000)), "a fifth of 1000 s ahead");
        assertEquals(NOW.plusSeconds(2), r.dueBefore(NOW.plusSeconds(3)), "at least 1 s ahead");
        assertEquals(
                NOW.plus(Duration.ofHours(12)).minus(Duration.ofMinutes(10)),
                r.dueBefore(NOW.plus(Duration.ofHours(12))),
                "at most 10 min ahead");
    }

    @Test
    void aPolicyDeadlineOnlyEverBringsTheRenewalForward() {
        Reauthentication r = new Reauthentication(null, null, Clock.fixed(NOW, ZoneOffset.UTC));
        r.plan(NOW.plusSeconds(1000));
        r.requireBy(NOW.plusSeconds(5000));
        assertEquals(
                Duration.ofSeconds(800), r.untilNextReport(Duration.ofHours(1)), "the later deadline changed nothing");
        r.requireBy(NOW.plusSeconds(100));
        assertEquals(
                Duration.ofSeconds(80), r.untilNextReport(Duration.ofHours(1)), "the earlier one brought it forward");
    }
}
