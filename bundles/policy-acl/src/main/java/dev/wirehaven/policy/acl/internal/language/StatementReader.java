package dev.wirehaven.policy.acl.internal.language;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a policy file into statements of words.
 *
 * <ul>
 * <li>{@code #} starts a comment to the end of the line (not inside quotes);</li>
 * <li>a line that ends with a comma continues on the next line, so that a long list can be wrapped; the
 *     statement keeps the number of its first line;</li>
 * <li>words are separated by blanks, except that a comma joins its neighbours into one word whatever the
 *     blanks around it ({@code group:a, group:b} is one word of two items);</li>
 * <li>{@code ->} is always a word of its own;</li>
 * <li>double quotes keep blanks, commas and {@code #} inside a name ({@code group:"Domain Users"}); a quote
 *     ends on the line where it starts.</li>
 * </ul>
 */
final class StatementReader {

    private enum Kind {
        ITEM,
        COMMA,
        BLANK,
        ARROW
    }

    private record Token(Kind kind, String text) {}

    private StatementReader() {}

    static List<Statement> read(String text, Problems problems) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> lines = lines(body);
        List<Statement> statements = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int first = i + 1;
            StringBuilder logical = new StringBuilder();
            boolean unreadable = false;
            while (true) {
                String content = withoutComment(lines.get(i), i + 1, problems);
                i++;
                unreadable |= content == null;
                String part = content == null ? "" : content;
                logical.append(part).append(' ');
                if (!part.strip().endsWith(",") || i >= lines.size()) {
                    break;
                }
            }
            if (unreadable) {
                continue; // the unclosed quote is reported; guessing where it ends would report nonsense
            }
            List<Word> words = words(tokens(logical.toString()), first, problems);
            if (!words.isEmpty()) {
                statements.add(new Statement(first, words));
            }
        }
        return statements;
    }

    /**
     * The lines of {@code text} as {@code text.split("\\R", -1)} gives them: a line ends at CR LF, LF, CR,
     * VT, FF, NEL, LS or PS, and the text after the last break is a line too, empty or not.
     *
     * <p>By hand rather than with the regular expression: the same lines, but the fuzz test parses millions
     * of files under Jazzer, whose hooks on every step of a regular expression made that split most of the
     * time of each input ({@code PolicyParserFuzzTest}).
     */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int k = 0;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c == '\r'
                    || c == '\n'
                    || c == '\u000B'
                    || c == '\f'
                    || c == '\u0085'
                    || c == '\u2028'
                    || c == '\u2029') {
                lines.add(text.substring(start, k));
                k += c == '\r' && k + 1 < text.length() && text.charAt(k + 1) == '\n' ? 2 : 1;
                start = k;
            } else {
                k++;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** The line without its comment, or {@code null} (reported) when a quote is not closed on it. */
    private static String withoutComment(String line, int number, Problems problems) {
        boolean quoted = false;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, k);
            }
        }
        if (quoted) {
            problems.add(
                    number,
                    "quotes",
                    "a quote (\") is opened but not closed on this line",
                    "close it on the same line, as in group:\"Domain Users\"");
            return null;
        }
        return line;
    }

    /** The tokens of a line whose quotes are balanced. */
    private static List<Token> tokens(String s) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder item = null;
        int k = 0;
        while (k < s.length()) {
            char c = s.charAt(k);
            if (c == '"') {
                int close = s.indexOf('"', k + 1);
                item = item == null ? new StringBuilder() : item;
                item.append(s, k + 1, close);
                k = close + 1;
                continue;
            }
            Kind separator = c == ','
                    ? Kind.COMMA
                    : c == '-' && k + 1 < s.length() && s.charAt(k + 1) == '>'
                            ? Kind.ARROW
                            : Character.isWhitespace(c) ? Kind.BLANK : null;
            if (separator == null) {
                item = item == null ? new StringBuilder() : item;
                item.append(c);
                k++;
                continue;
            }
            if (item != null) {
                tokens.add(new Token(Kind.ITEM, item.toString()));
                item = null;
            }
            boolean repeatedBlank = separator == Kind.BLANK
                    && !tokens.isEmpty()
                    && tokens.get(tokens.size() - 1).kind() == Kind.BLANK;
            if (!repeatedBlank) {
                tokens.add(new Token(separator, ""));
            }
            k += separator == Kind.ARROW ? 2 : 1;
        }
        if (item != null) {
            tokens.add(new Token(Kind.ITEM, item.toString()));
        }
        return tokens;
    }

    /** Groups the tokens into words: items joined by commas, words separated by blanks and arrows. */
    private static List<Word> words(List<Token> tokens, int line, Problems problems) {
        List<Word> words = new ArrayList<>();
        List<String> items = new ArrayList<>();
        boolean afterComma = false;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            switch (t.kind()) {
                case ITEM -> {
                    items.add(t.text());
                    afterComma = false;
                }
                case COMMA -> {
                    if (items.isEmpty() || afterComma) {
                        emptyEntry(line, problems);
                    }
                    afterComma = true;
                }
                case BLANK -> {
                    if (!afterComma && !nextIsComma(tokens, k)) {
                        flush(items, words);
                    }
                }
                case ARROW -> {
                    if (afterComma) {
                        emptyEntry(line, problems);
                        afterComma = false;
                    }
                    flush(items, words);
                    words.add(Word.ARROW);
                }
            }
        }
        if (afterComma) {
            emptyEntry(line, problems);
        }
        flush(items, words);
        return words;
    }

    private static boolean nextIsComma(List<Token> tokens, int blank) {
        return blank + 1 < tokens.size() && tokens.get(blank + 1).kind() == Kind.COMMA;
    }

    private static void flush(List<String> items, List<Word> words) {
        if (!items.isEmpty()) {
            words.add(new Word(items));
            items.clear();
        }
    }

    private static void emptyEntry(int line, Problems problems) {
        problems.add(
                line,
                "list",
                "a list has an empty entry (two commas in a row, or a comma at its start or end)",
                "remove the extra comma");
    }
}
