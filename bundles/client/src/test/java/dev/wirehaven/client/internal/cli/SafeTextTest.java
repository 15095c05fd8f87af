package dev.wirehaven.client.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTextTest {

    /** Each case: what the server sent (as Java escapes), what is printed. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1 | plain text stays                   | plain text stays
            2 | \\u001b[2J cleared                 | <U+001B>[2J cleared
            3 | title\\u001b]0;owned\\u0007        | title<U+001B>]0;owned<U+0007>
            4 | 8-bit CSI \\u009b31m               | 8-bit CSI <U+009B>31m
            5 | line\\nbreak\\rreturn              | line<U+000A>break<U+000D>return
            6 | \\u202eexe.txt                     | <U+202E>exe.txt
            7 | isolates \\u2066a\\u2069 \\u061c   | isolates <U+2066>a<U+2069> <U+061C>
            8 | zero\\u200bwidth\\u2028sep         | zero<U+200B>width<U+2028>sep
            9 | Grüße, 日本語, émoji 😀            | Grüße, 日本語, émoji 😀
            10 | DEL\\u007f tab\\t                 | DEL<U+007F> tab<U+0009>
            """)
    void escapesControlAndFormatCharactersAndKeepsEveryScript(int n, String sent, String printed) {
        assertEquals(printed, SafeText.of(unescape(sent)), "case " + n);
    }

    @ParameterizedTest
    @CsvSource({"plain", "Grüße"})
    void safeTextIsReturnedAsItIs(String text) {
        assertSame(text, SafeText.of(text));
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                switch (next) {
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 5;
                    }
                    case 'n' -> {
                        b.append('\n');
                        i++;
                    }
                    case 'r' -> {
                        b.append('\r');
                        i++;
                    }
                    case 't' -> {
                        b.append('\t');
                        i++;
                    }
                    default -> b.append(c);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
