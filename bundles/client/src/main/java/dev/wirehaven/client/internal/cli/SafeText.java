package dev.wirehaven.client.internal.cli;

import java.util.Locale;

/**
 * Text from the server made safe to print on a terminal: a control character (C0, DEL, C1: the escape
 * sequences that move the cursor, retitle the window or rewrite what is on screen), a format character
 * (the bidi overrides and isolates that make text read differently than it is, zero-width characters),
 * a line or paragraph separator, a lone surrogate or an unassigned code point is replaced by its code
 * point, visibly, as {@code <U+202E>}. Everything else, other scripts included, is printed as it is.
 *
 * <p>The command line passes everything that the server had a hand in through here: prompts, approval
 * URIs and codes, error messages and the events that carry them, the state that {@code status} shows.
 */
final class SafeText {

    private SafeText() {}

    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int n = Character.charCount(c);
            if (unsafe(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                b.append(String.format(Locale.ROOT, "<U+%04X>", c));
            } else if (b != null) {
                b.appendCodePoint(c);
            }
            i += n;
        }
        return b == null ? text : b.toString();
    }

    static boolean unsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }
}
