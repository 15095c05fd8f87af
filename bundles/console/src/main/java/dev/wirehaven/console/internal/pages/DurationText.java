package dev.wirehaven.console.internal.pages;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as an operator types it in the block form: {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}. */
final class DurationText {

    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,5})\\s*([smhd])");

    private DurationText() {}

    /** The duration, or empty when the text is not a positive whole number and one of s, m, h, d. */
    static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
    }
}
