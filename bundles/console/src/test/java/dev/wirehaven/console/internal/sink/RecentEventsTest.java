package dev.wirehaven.console.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    private static SecurityEvent event(int n) {
        return new SecurityEvent(
                SecurityEvent.AUTH_FAILURE, Severity.LOW, Instant.ofEpochSecond(n), "user" + n, null, "try " + n);
    }

    @Test
    void keepsTheNewestUpToItsCapacity_newestFirst() {
        RecentEvents events = new RecentEvents(3);
        for (int i = 1; i <= 5; i++) {
            events.add(event(i));
        }
        List<SecurityEvent> kept = events.newestFirst();
        assertEquals(
                List.of("try 5", "try 4", "try 3"),
                kept.stream().map(SecurityEvent::detail).toList());
    }

    @Test
    void theConsoleSinkKeepsTwoHundredSecurityEvents() {
        ConsoleSink sink = new ConsoleSink();
        for (int i = 0; i < 1000; i++) {
            sink.securityEvent(event(i));
        }
        assertEquals(200, sink.events().newestFirst().size());
        assertEquals("try 999", sink.events().newestFirst().get(0).detail());
        assertEquals("console", sink.name());
    }

    @Test
    void aLogOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentEvents(0));
    }
}
