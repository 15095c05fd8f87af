package dev.wirehaven.console.internal.pages;

/**
 * Text for an HTML page from values that clients chose (a device name, a user name as typed, an
 * event's detail): markup characters become entities, so nothing a client sends becomes markup, and
 * control, bidi and other invisible formatting characters become a visible {@code \\uXXXX}, so that a
 * name cannot hide itself or reorder what the operator reads. Long values are cut.
 */
final class Html {

    /** Longer than any name or detail the server keeps; what is longer is cut. */
    static final int MAX_CHARS = 300;

    private Html() {}

    /** For element content and for quoted attribute values alike. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 16);
        int count = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (++count > MAX_CHARS) {
                out.append('\u2026');
                break;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (isInvisible(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Controls (C0, DEL, C1), the Unicode format characters (bidi embeddings and isolates, the marks,
     * zero-width joiners and spaces, the BOM), line and paragraph separators, and lone surrogates.
     */
    static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED;
    }
}
