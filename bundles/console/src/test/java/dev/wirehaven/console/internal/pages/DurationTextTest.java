package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsSecondsMinutesHoursAndDays() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), DurationText.parse("90s"));
        assertEquals(Optional.of(Duration.ofMinutes(10)), DurationText.parse(" 10m "));
        assertEquals(Optional.of(Duration.ofHours(2)), DurationText.parse("2 H"));
        assertEquals(Optional.of(Duration.ofDays(7)), DurationText.parse("7d"));
    }

    @Test
    void refusesWhatIsNotAPositiveAmountWithAUnit() {
        for (String bad : new String[] {"", "10", "m", "0m", "-5m", "1.5h", "10 minutes", "9999999d", "PT10M"}) {
            assertEquals(Optional.empty(), DurationText.parse(bad), bad);
        }
        assertEquals(Optional.empty(), DurationText.parse(null));
    }
}
