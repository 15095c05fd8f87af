package dev.wirehaven.interfaces.internal.wgquickimport;

import java.util.List;

/**
 * The text of an {@code etc/*.cfg} file that FileInstall reads back to exactly the values written.
 *
 * <p>FileInstall reads a value in two steps, and each has its own escapes: first as a Java
 * properties file (backslash escapes such as tab and newline, a backslash at the end of a line
 * continues it), then with every dollar-brace variable replaced by a framework property, where a
 * backslash before a brace or before another backslash makes it literal. A shell command that
 * uses a shell variable in braces or an awk program therefore needs both escapes, or FileInstall
 * would hand the server another command than the one wg-quick ran. Non-ASCII characters are
 * written as unicode escapes, since FileInstall reads the file as ISO-8859-1.
 */
final class CfgFileText {

    /** The indentation of continued lines. */
    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();

    /** Adds comment lines; each line of {@code comment} gets its {@code #}. */
    CfgFileText comment(String comment) {
        for (String line : comment.split("\n", -1)) {
            text.append(line.isEmpty() ? "#" : "# " + printable(line)).append('\n');
        }
        return this;
    }

    /** Adds {@code key = value}. */
    CfgFileText property(String key, String value) {
        text.append(key).append(" = ").append(escape(value)).append('\n');
        return this;
    }

    /**
     * Adds a value made of several items, one item per line, joined by {@code separator} (which the
     * reader of the setting splits on), so that a long list stays readable.
     */
    CfgFileText list(String key, List<String> items, String separator) {
        if (items.size() == 1) {
            return property(key, items.get(0));
        }
        text.append(key).append(" = \\\n");
        for (int i = 0; i < items.size(); i++) {
            text.append(INDENT).append(escape(items.get(i)));
            text.append(i == items.size() - 1 ? "\n" : separator + "\\\n");
        }
        return this;
    }

    /** What FileInstall's substitution turns into {@code $} wherever it is in a value. */
    private static final String FILEINSTALL_MARKER = "$__";

    /**
     * Why FileInstall cannot read {@code value} back as written, or null when it can. Its substitution
     * step uses {@code $__} as its own marker and turns every {@code $__} of a value into {@code $}, after
     * all other escapes, so no escape keeps it ({@code echo $__x} would run as {@code echo $x}); found by
     * {@code WgQuickImportFuzzTest}.
     */
    static String unreadable(String value) {
        return value.contains(FILEINSTALL_MARKER)
                ? "contains '" + FILEINSTALL_MARKER + "', which FileInstall reads as '$' in any etc/*.cfg file"
                : null;
    }

    /** A comment is not read back: it only has to stay one line of ISO-8859-1. */
    static String printable(String line) {
        StringBuilder out = new StringBuilder(line.length());
        line.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? '?' : (char) c));
        return out.toString();
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** The escapes that make FileInstall read {@code value} back unchanged (see the class comment). */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                // the substitution step takes "\\" for one backslash, the properties step each of those two
                case '\\' -> out.append("\\\\\\\\");
                case '{', '}' -> out.append("\\\\").append(c);
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                // leading blanks would be taken for the blanks around '='
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                // FileInstall's reader takes a continued line of a list (one item per line) that begins with
                // '#' or '!' for a comment and drops that item: "PostUp = ! false" would vanish
                case '#', '!' -> out.append(i == 0 ? "\\" : "").append(c);
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
