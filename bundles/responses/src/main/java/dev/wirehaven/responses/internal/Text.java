package dev.wirehaven.responses.internal;

/**
 * Text that came from elsewhere (a detector's reason, a user name as a client entered it) made safe
 * for one log line or one table cell: control characters would let it forge log lines or break the
 * operator's terminal.
 */
final class Text {

    private Text() {}

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append('?');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** At most {@code max} characters, with an ellipsis when cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }
}
