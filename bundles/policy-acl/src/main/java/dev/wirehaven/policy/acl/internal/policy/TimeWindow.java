package dev.wirehaven.policy.acl.internal.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a rule is in force: on the listed days from {@link #start()} to {@link #end()} in a time zone.
 * An end at or before the start ends on the next day, so {@code Fri 22:00-06:00} runs from Friday 22:00
 * to Saturday 06:00 and {@code 00:00-24:00} (stored as 00:00) is the whole day.
 *
 * <p>Every question is answered with instants computed through {@link ZonedDateTime}, never by comparing
 * wall-clock times, so that daylight saving changes move the window with the clock on the wall: a start in
 * the spring gap opens when the clock jumps past it.
 *
 * @param days the days on which the window opens; at least one
 * @param start when it opens on those days
 * @param end when it closes: on the same day when after {@code start}, else on the next day
 * @param zone the zone the times are read in, or {@code null} for the server's zone
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    /** Days before and after the instant asked about whose openings are considered: a week and a night. */
    private static final int DAYS_BACK = 1;

    private static final int DAYS_AHEAD = 8;

    /** Copies the days and rejects an empty window. */
    public TimeWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (Objects.requireNonNull(days, "days").isEmpty()) {
            throw new IllegalArgumentException("a time window opens on at least one day");
        }
        if (start.equals(end) && !start.equals(LocalTime.MIDNIGHT)) {
            throw new IllegalArgumentException("a time window that closes when it opens is empty");
        }
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    /** True when the window is open at {@code instant}; {@code fallback} is the zone when the rule names none. */
    public boolean isOpen(Instant instant, ZoneId fallback) {
        return openingsAround(instant, fallback).stream().anyMatch(o -> o.covers(instant));
    }

    /**
     * The first instant after {@code instant} at which the window opens or closes, or {@code null} when it
     * never does (a window open all day every day).
     */
    public Instant nextChange(Instant instant, ZoneId fallback) {
        boolean open = isOpen(instant, fallback);
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (Opening opening : openingsAround(instant, fallback)) {
            boundaries.add(opening.from());
            boundaries.add(opening.until());
        }
        // a boundary where nothing changes (midnight inside 00:00-24:00 on two days running) is skipped
        for (Instant boundary : boundaries.tailSet(instant, false)) {
            if (isOpen(boundary, fallback) != open) {
                return boundary;
            }
        }
        return null;
    }

    /** The openings as [from, until) pairs that start from the day before to a week after the instant's day. */
    private List<Opening> openingsAround(Instant instant, ZoneId fallback) {
        ZoneId z = zone == null ? fallback : zone;
        LocalDate today = instant.atZone(z).toLocalDate();
        List<Opening> openings = new ArrayList<>();
        for (LocalDate d = today.minusDays(DAYS_BACK); !d.isAfter(today.plusDays(DAYS_AHEAD)); d = d.plusDays(1)) {
            if (days.contains(d.getDayOfWeek())) {
                LocalDate endDay = end.isAfter(start) ? d : d.plusDays(1);
                openings.add(new Opening(
                        ZonedDateTime.of(d, start, z).toInstant(),
                        ZonedDateTime.of(endDay, end, z).toInstant()));
            }
        }
        return openings;
    }

    /** One opening of the window: from (inclusive) until (exclusive). */
    private record Opening(Instant from, Instant until) {
        boolean covers(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(until);
        }
    }

    /** As the policy file writes it: {@code during Mon-Fri 08:00-18:00 Europe/Paris}. */
    @Override
    public String toString() {
        String until = end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString();
        return "during " + daysText() + " " + start + "-" + until + (zone == null ? "" : " " + zone.getId());
    }

    private String daysText() {
        if (days.size() == DayOfWeek.values().length) {
            return "daily";
        }
        List<String> parts = new ArrayList<>();
        DayOfWeek[] week = DayOfWeek.values();
        int i = 0;
        while (i < week.length) {
            if (!days.contains(week[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < week.length && days.contains(week[j + 1])) {
                j++;
            }
            parts.add(j == i ? shortName(week[i]) : shortName(week[i]) + "-" + shortName(week[j]));
            i = j + 1;
        }
        return String.join(",", parts);
    }

    private static String shortName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }
}
