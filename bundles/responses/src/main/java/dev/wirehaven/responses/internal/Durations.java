package dev.wirehaven.responses.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in {@code etc/*.cfg} and at the gogo shell: {@code 90s},
 * {@code 15m}, {@code 2h}, {@code 7d}, a bare number of seconds, or ISO-8601 ({@code PT15M}). The
 * same forms as the session layer's settings, so that an operator writes a duration one way.
 */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)?");

    private Durations() {}

    /**
     * A positive duration.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    static Duration parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        if (s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (such as 15m, 2h or 1d)");
            }
        } else {
            Matcher m = SHORT.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (such as 15m, 2h or 1d)");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return d;
    }

    /** The shortest usual form: {@code 90s}, {@code 15m}, {@code 12h}, {@code 7d}. */
    static String format(Duration d) {
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
