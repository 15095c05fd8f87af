package dev.wirehaven.example.monitor.webhook.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in the server's {@code etc/*.cfg}: {@code 500ms}, {@code 5s},
 * {@code 2m}, a bare number of seconds, or ISO-8601 ({@code PT5S}).
 */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m)?");

    private Durations() {}

    /**
     * A positive duration.
     *
     * @param key the configuration key, named in the error
     * @throws IllegalArgumentException with a sentence naming the key and what is wrong
     */
    static Duration parse(String key, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        String wrong = key + " '" + text + "' is not a duration: write it as 5s, 500ms, 1m or PT5S";
        Duration d;
        if (s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(wrong, e);
            }
        } else {
            Matcher m = SHORT.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException(wrong);
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " '" + text + "' is not a positive duration");
        }
        return d;
    }
}
