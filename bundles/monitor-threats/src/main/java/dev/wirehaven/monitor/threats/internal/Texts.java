package dev.wirehaven.monitor.threats.internal;

import java.util.Locale;

/** Text for finding details: numbers as people read them, and names that a client chose made harmless. */
final class Texts {

    /** The longest client-chosen name a detail quotes. */
    private static final int MAX_NAME = 64;

    private Texts() {}

    /** Whole numbers without a fraction, others with two decimals. */
    static String plain(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * A name as entered by a client (a user name on a failed login), quoted, without control characters
     * and cut at {@value #MAX_NAME} characters: it ends up in logs and consoles.
     */
    static String quoted(String name) {
        StringBuilder b = new StringBuilder("'");
        name.codePoints().limit(MAX_NAME).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
