package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void theOperatorsFormsAreRead() {
        assertEquals(Duration.ofSeconds(5), Durations.parse("timeout", "5s"));
        assertEquals(Duration.ofSeconds(7), Durations.parse("timeout", " 7 "));
        assertEquals(Duration.ofMillis(500), Durations.parse("timeout", "500ms"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("timeout", "1M"));
        assertEquals(Duration.ofMillis(2500), Durations.parse("timeout", "PT2.5S"));
    }

    @Test
    void anythingElseIsRefusedNamingTheKey() {
        assertEquals(
                "timeout 'soon' is not a duration: write it as 5s, 500ms, 1m or PT5S",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("timeout", "soon"))
                        .getMessage());
        assertEquals(
                "timeout '0s' is not a positive duration",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("timeout", "0s"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("timeout", "PT-5S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("timeout", "P5"));
    }
}
