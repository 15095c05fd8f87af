package dev.wirehaven.client.internal.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusScheduleTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(15);

    @Test
    void reportsEveryIntervalWhileNoReauthenticationIsDue() {
        assertEquals(INTERVAL, ClientConnection.nextTick(INTERVAL, null, NOW));
        assertEquals(INTERVAL, ClientConnection.nextTick(INTERVAL, NOW.plusSeconds(3600), NOW));
    }

    @Test
    void comesEarlyWhenReauthenticationFallsDueBeforeTheNextReport() {
        assertEquals(Duration.ofSeconds(6), ClientConnection.nextTick(INTERVAL, NOW.plusSeconds(6), NOW));
    }

    @Test
    void comesAtOnceWhenReauthenticationIsOverdue() {
        assertEquals(Duration.ZERO, ClientConnection.nextTick(INTERVAL, NOW.minusSeconds(2), NOW));
    }
}
