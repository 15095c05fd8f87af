package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    private final SettingsReader reader = new SettingsReader("dev.wirehaven.threats.test");

    @Test
    void durationsInShortOrIsoForm() throws BadSetting {
        assertEquals(Duration.ofSeconds(90), reader.duration("window", "90s"));
        assertEquals(Duration.ofMinutes(5), reader.duration("window", " 5m "));
        assertEquals(Duration.ofHours(1), reader.duration("window", "1h"));
        assertEquals(Duration.ofDays(2), reader.duration("window", "2d"));
        assertEquals(Duration.ofMillis(500), reader.duration("window", "500ms"));
        assertEquals(Duration.ofMinutes(5), reader.duration("window", "PT5M"));
    }

    @Test
    void aBadDurationNamesPidKeyValueAndFix() {
        BadSetting e = assertThrows(BadSetting.class, () -> reader.duration("response.duration", "0s"));
        assertEquals(
                "Configuration dev.wirehaven.threats.test: response.duration = '0s' is refused: give a positive"
                        + " duration such as 90s, 5m, 1h or PT5M; the detector keeps its last good configuration",
                e.getMessage());
        assertThrows(BadSetting.class, () -> reader.duration("window", "5 minutes"));
        assertThrows(BadSetting.class, () -> reader.duration("window", "PT-5M"));
        assertThrows(BadSetting.class, () -> reader.duration("window", ""));
    }

    @Test
    void actionsAndSeveritiesByNameAnyCase() throws BadSetting {
        assertEquals(ResponseAction.ALERT, reader.action("response", "alert", EnumSet.of(ResponseAction.ALERT)));
        assertEquals(Severity.HIGH, reader.severity("severity", "high"));
        assertThrows(BadSetting.class, () -> reader.severity("severity", "URGENT"));
        assertThrows(BadSetting.class, () -> reader.action("response", "BLOCK", EnumSet.allOf(ResponseAction.class)));
    }
}
