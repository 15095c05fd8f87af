package dev.wirehaven.policy.acl.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    private static final TimeWindow OFFICE = new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(18, 0), PARIS);

    /** 2025-03-12 is a Wednesday. */
    private static Instant paris(int day, int hour, int minute) {
        return ZonedDateTime.of(2025, 3, day, hour, minute, 0, 0, PARIS).toInstant();
    }

    @Test
    void openFromStartInclusiveToEndExclusiveOnTheListedDays() {
        assertTrue(OFFICE.isOpen(paris(12, 8, 0), UTC));
        assertTrue(OFFICE.isOpen(paris(12, 17, 59), UTC));
        assertFalse(OFFICE.isOpen(paris(12, 18, 0), UTC));
        assertFalse(OFFICE.isOpen(paris(12, 7, 59), UTC));
        assertFalse(OFFICE.isOpen(paris(15, 12, 0), UTC), "Saturday");
    }

    @Test
    void theNextChangeIsTheNextOpeningOrClosing() {
        assertEquals(paris(12, 18, 0), OFFICE.nextChange(paris(12, 9, 30), UTC));
        assertEquals(paris(13, 8, 0), OFFICE.nextChange(paris(12, 18, 0), UTC));
        assertEquals(paris(17, 8, 0), OFFICE.nextChange(paris(14, 18, 30), UTC), "Friday evening: Monday");
    }

    @Test
    void theRuleZoneWinsOverTheServerZoneAndWithoutOneTheServerZoneApplies() {
        Instant nineInParis = paris(12, 9, 0); // 08:00 UTC
        assertTrue(OFFICE.isOpen(nineInParis, ZoneId.of("America/New_York")));
        TimeWindow serverZone = new TimeWindow(WEEKDAYS, LocalTime.of(8, 30), LocalTime.of(18, 0), null);
        assertFalse(serverZone.isOpen(nineInParis, UTC), "08:00 UTC is before 08:30");
        assertTrue(serverZone.isOpen(nineInParis, PARIS));
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItStarts() {
        TimeWindow night = new TimeWindow(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), PARIS);
        assertTrue(night.isOpen(paris(14, 23, 0), UTC), "Friday 23:00");
        assertTrue(night.isOpen(paris(15, 5, 59), UTC), "Saturday 05:59");
        assertFalse(night.isOpen(paris(15, 6, 0), UTC));
        assertFalse(night.isOpen(paris(13, 23, 0), UTC), "Thursday night is not listed");
        assertEquals(paris(15, 6, 0), night.nextChange(paris(14, 23, 0), UTC));
        assertEquals(paris(14, 22, 0), night.nextChange(paris(12, 12, 0), UTC));
    }

    @Test
    void aWholeDayEveryDayNeverChangesAndAWholeDayOnSomeDaysChangesAtMidnight() {
        TimeWindow always =
                new TimeWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, PARIS);
        assertTrue(always.isOpen(paris(12, 3, 0), UTC));
        assertNull(always.nextChange(paris(12, 3, 0), UTC));
        TimeWindow weekend = new TimeWindow(
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, PARIS);
        assertEquals(paris(17, 0, 0), weekend.nextChange(paris(15, 12, 0), UTC), "through Sunday midnight to Monday");
    }

    @Test
    void daylightSavingMovesTheWindowWithTheWallClock() {
        // 2025-03-30: Paris moves from UTC+1 to UTC+2; 08:00 is 07:00 UTC the Friday before and 06:00 UTC after
        TimeWindow daily =
                new TimeWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(18, 0), PARIS);
        Instant saturdayEvening =
                ZonedDateTime.of(2025, 3, 29, 19, 0, 0, 0, PARIS).toInstant();
        assertEquals(Instant.parse("2025-03-30T06:00:00Z"), daily.nextChange(saturdayEvening, UTC));
    }

    @Test
    void anEmptyWindowIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(8, 0), null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TimeWindow(Set.of(), LocalTime.of(8, 0), LocalTime.of(9, 0), null));
    }

    @Test
    void printsAsThePolicyFileWritesIt() {
        assertEquals("during Mon-Fri 08:00-18:00 Europe/Paris", OFFICE.toString());
        assertEquals(
                "during Mon,Wed,Sat-Sun 22:00-24:00",
                new TimeWindow(
                                EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                                LocalTime.of(22, 0),
                                LocalTime.MIDNIGHT,
                                null)
                        .toString());
    }
}
