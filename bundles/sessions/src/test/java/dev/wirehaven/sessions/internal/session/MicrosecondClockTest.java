package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MicrosecondClockTest {

    private final Clock fixed = Clock.fixed(Instant.parse("2026-12-04T15:20:00.123456789Z"), ZoneOffset.UTC);

    @Test
    void instantsAreWholeMicrosecondsLikeTheStoresTimestamps() {
        assertEquals(Instant.parse("2026-12-04T15:20:00.123456Z"), new MicrosecondClock(fixed).instant());
    }

    @Test
    void millisWorksOnEveryJdk() {
        // Clock.tick(clock, 1 µs).millis() divides by zero on JDK 17: the metrics' handshake age used it
        assertEquals(fixed.millis(), new MicrosecondClock(fixed).millis());
        long now = System.currentTimeMillis();
        long read = MicrosecondClock.ofSystemUtc().millis();
        assertEquals(true, read >= now, "the system clock, not a fixed one");
    }
}
