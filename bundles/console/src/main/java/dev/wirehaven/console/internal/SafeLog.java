package dev.wirehaven.console.internal;

/**
 * Makes a value that a browser (or an attacker's page) sent fit for one log line: control and bidi
 * characters become {@code \\uXXXX}, so that a header cannot start a forged log line or reorder
 * what the operator reads, and long values are cut.
 */
public final class SafeLog {

    /** Longer than any header the console's own pages send; a longer one is cut. */
    static final int MAX_CHARS = 200;

    private SafeLog() {}

    public static String text(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 16);
        for (int i = 0; i < value.length() && i < MAX_CHARS; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || isBidi(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX_CHARS) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }

    /** The Unicode bidirectional formatting characters (LRE..RLO, LRI..PDI, LRM, RLM, ALM). */
    private static boolean isBidi(char c) {
        return (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u061c';
    }
}
