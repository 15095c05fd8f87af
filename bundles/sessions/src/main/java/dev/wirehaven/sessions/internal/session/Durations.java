package dev.wirehaven.sessions.internal.session;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in {@code etc/*.cfg}: {@code 90s}, {@code 15m}, {@code 12h},
 * {@code 2d}, {@code 500ms}, a bare number of seconds, or ISO-8601 ({@code PT15M}).
 */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

    /** The longest duration that {@link Duration#toMillis()} can give. */
    private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);

    private Durations() {}

    /**
     * @throws IllegalArgumentException with a sentence saying what is wrong (negative, not a duration)
     */
    static Duration parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("is negative");
        }
        Duration d;
        if (s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is not a duration");
            }
        } else {
            Matcher m = SHORT.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("is not a duration");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("is negative");
        }
        // the session layer schedules and prints durations in milliseconds (Duration.toMillis): ISO-8601
        // reaches beyond a long of them (toMillis throws) and below one (a 0 ms reaper period is refused
        // by the scheduler), which the short forms cannot
        if (d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("has a part smaller than a millisecond");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("is longer than " + LONGEST.toMillis() + "ms");
        }
        return d;
    }

    /** The shortest usual form: {@code 90s}, {@code 15m}, {@code 12h}. */
    static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
