package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.policy.acl.internal.policy.TimeWindow;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time window of a rule, the words after {@code during}: {@code DAYS HH:MM-HH:MM [ZONE]}, such as
 * {@code Mon-Fri 08:00-18:00 Europe/Paris}, {@code Sat,Sun 10:00-14:00}, {@code daily 22:00-06:00 UTC}.
 * Days are English names or their first three letters; a range may wrap ({@code Fri-Mon}). An end at or
 * before the start is on the next day; {@code 24:00} is the end of the day. Without a zone the server's
 * zone applies.
 */
final class WindowParser {

    private static final Pattern HOURS = Pattern.compile("(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
    private static final String DAYS_FIX =
            "write days as Mon, Tue, Wed, Thu, Fri, Sat, Sun, a range such as Mon-Fri, several joined by commas,"
                    + " or daily";

    private WindowParser() {}

    /** The window of the words after {@code during}, or {@code null} when they are wrong (reported). */
    static TimeWindow parse(List<Word> words, int line, Problems problems) {
        if (words.size() < 2) {
            problems.add(
                    line,
                    "during",
                    "'during' needs days and hours",
                    "write during DAYS HH:MM-HH:MM [ZONE], as in during Mon-Fri 08:00-18:00 Europe/Paris");
            return null;
        }
        if (words.size() > 3) {
            problems.add(
                    line,
                    "during",
                    "unexpected '" + words.get(3).text() + "' after the zone",
                    "a rule has one window; write a second rule for another window");
        }
        int before = problems.count();
        Set<DayOfWeek> days = days(words.get(0), line, problems);
        Hours hours = hours(words.get(1).text(), line, problems);
        ZoneId zone = words.size() > 2 ? zone(words.get(2).text(), line, problems) : null;
        if (problems.count() != before) {
            return null;
        }
        return new TimeWindow(days, hours.start(), hours.end(), zone);
    }

    private static Set<DayOfWeek> days(Word word, int line, Problems problems) {
        if (word.is("daily")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : word.items()) {
            int dash = item.indexOf('-');
            DayOfWeek from = day(dash < 0 ? item : item.substring(0, dash));
            DayOfWeek to = dash < 0 ? from : day(item.substring(dash + 1));
            if (from == null || to == null) {
                problems.add(line, "days", "'" + item + "' is not a day or a range of days", DAYS_FIX);
                continue;
            }
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(full) || t.equals(full.substring(0, 3))) {
                return d;
            }
        }
        return null;
    }

    private record Hours(LocalTime start, LocalTime end) {}

    /** Start and end, or {@code null} (reported). */
    private static Hours hours(String text, int line, Problems problems) {
        String fix = "write the hours as HH:MM-HH:MM, as in 08:00-18:00, 22:00-06:00 or 00:00-24:00";
        Matcher m = HOURS.matcher(text);
        if (!m.matches()) {
            problems.add(line, "hours", "'" + text + "' is not a range of hours", fix);
            return null;
        }
        int h1 = Integer.parseInt(m.group(1));
        int m1 = Integer.parseInt(m.group(2));
        int h2 = Integer.parseInt(m.group(3));
        int m2 = Integer.parseInt(m.group(4));
        boolean endOfDay = h2 == 24 && m2 == 0;
        if (h1 > 23 || m1 > 59 || (h2 > 23 && !endOfDay) || m2 > 59) {
            problems.add(line, "hours", "'" + text + "' has a time that does not exist", fix);
            return null;
        }
        LocalTime start = LocalTime.of(h1, m1);
        LocalTime end = endOfDay ? LocalTime.MIDNIGHT : LocalTime.of(h2, m2);
        if (start.equals(end) && !(endOfDay && start.equals(LocalTime.MIDNIGHT))) {
            problems.add(
                    line,
                    "hours",
                    "'" + text + "' starts and ends at the same time",
                    "write 00:00-24:00 for the whole day, or leave 'during' out for always");
            return null;
        }
        return new Hours(start, end);
    }

    private static ZoneId zone(String text, int line, Problems problems) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            problems.add(
                    line,
                    "zone",
                    "'" + text + "' is not a time zone",
                    "write a tz database name such as Europe/Paris or America/New_York, or UTC");
            return null;
        }
    }
}
