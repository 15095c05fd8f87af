package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one detector's typed configuration into checked values, refusing a bad one with a
 * {@link BadSetting} that names the PID, the key (as written in the configuration, dotted), the value
 * and the fix.
 */
final class SettingsReader {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private final String pid;

    SettingsReader(String pid) {
        this.pid = pid;
    }

    /** A whole number of at least {@code min}. */
    long atLeast(String key, long value, long min) throws BadSetting {
        if (value < min) {
            throw new BadSetting(pid, key, value, "give a whole number of at least " + min);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}. */
    long between(String key, long value, long min, long max) throws BadSetting {
        if (value < min || value > max) {
            throw new BadSetting(pid, key, value, "give a whole number from " + min + " to " + max);
        }
        return value;
    }

    /** A number of at least {@code min}. */
    double atLeast(String key, double value, double min) throws BadSetting {
        if (!Double.isFinite(value) || value < min) {
            throw new BadSetting(pid, key, value, "give a number of at least " + min);
        }
        return value;
    }

    /** A number above 0 and at most 1. */
    double fraction(String key, double value) throws BadSetting {
        if (!(value > 0 && value <= 1)) {
            throw new BadSetting(pid, key, value, "give a number above 0 and at most 1, such as 0.1");
        }
        return value;
    }

    /** A positive duration: {@code 90s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 500ms} or ISO-8601 ({@code PT5M}). */
    Duration duration(String key, String text) throws BadSetting {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d = null;
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (t.startsWith("p")) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new BadSetting(pid, key, text, "give a positive duration such as 90s, 5m, 1h or PT5M");
        }
        return d;
    }

    /** A severity by name. */
    Severity severity(String key, String text) throws BadSetting {
        try {
            return Severity.valueOf(String.valueOf(text).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadSetting(pid, key, text, "give one of " + Arrays.toString(Severity.values()));
        }
    }

    /** A response action by name, one of those this detector has a target for. */
    ResponseAction action(String key, String text, Set<ResponseAction> allowed) throws BadSetting {
        ResponseAction a;
        try {
            a = ResponseAction.valueOf(String.valueOf(text).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            a = null;
        }
        if (a == null || !allowed.contains(a)) {
            throw new BadSetting(
                    pid, key, text, "give one of " + allowed.stream().sorted().toList() + " (this finding's targets)");
        }
        return a;
    }
}
