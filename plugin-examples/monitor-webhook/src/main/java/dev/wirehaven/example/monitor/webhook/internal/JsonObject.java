package dev.wirehaven.example.monitor.webhook.internal;

/**
 * Writes one flat JSON object of string members. Written by hand rather than with a JSON library so
 * that a vendor who copies this example gets a bundle that needs nothing beyond the Wirehaven api and
 * slf4j, and can read in one screen exactly what reaches the receiver.
 *
 * <p>Strings are escaped as RFC 8259 requires (quote, backslash, control characters) and further:
 * every character outside printable ASCII is written as a JSON unicode escape (a backslash, {@code u}
 * and four hex digits), so the body is plain ASCII. A JSON parser decodes it to the same text, while a
 * receiver that logs the raw body, or reads it in the wrong encoding, cannot be fooled by a line break,
 * a terminal escape or a bidirectional override (U+202E) inside a name that a client chose.
 */
final class JsonObject {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean empty = true;

    /** Adds a member whose value is a string, or JSON {@code null} when {@code value} is null. */
    JsonObject member(String name, String value) {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        quote(name, out);
        out.append(':');
        if (value == null) {
            out.append("null");
        } else {
            quote(value, out);
        }
        return this;
    }

    /** The object, closed. */
    String end() {
        return out + "}";
    }

    /** {@code text} as a JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2);
        quote(text, b);
        return b.toString();
    }

    private static void quote(String text, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        b.append(c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        // a character beyond U+FFFF: JSON writes it as its UTF-16 pair of escapes
                        escape(c, b);
                        escape(text.charAt(++i), b);
                    } else if (Character.isSurrogate(c)) {
                        // half a pair is no character at all; strict parsers reject it
                        escape('\ufffd', b);
                    } else {
                        escape(c, b);
                    }
                }
            }
        }
        b.append('"');
    }

    private static void escape(char c, StringBuilder b) {
        b.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
