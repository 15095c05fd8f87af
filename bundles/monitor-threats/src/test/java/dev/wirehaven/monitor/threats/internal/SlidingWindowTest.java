package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

    @Test
    void theSlidingWindowDropsWhatIsAWindowOld() {
        SlidingWindow w = new SlidingWindow();
        Instant t = Instant.parse("2026-12-04T12:00:00Z");
        Duration minute = Duration.ofMinutes(1);
        assertEquals(3, w.add(t, 3, minute));
        assertEquals(7, w.add(t.plusSeconds(59), 4, minute));
        assertEquals(6, w.add(t.plusSeconds(60), 2, minute), "the 3 is a whole window old");
        assertEquals(2, w.sumAt(t.plusSeconds(119), minute));
        assertEquals(0, w.sumAt(t.plusSeconds(120), minute));
    }
}
