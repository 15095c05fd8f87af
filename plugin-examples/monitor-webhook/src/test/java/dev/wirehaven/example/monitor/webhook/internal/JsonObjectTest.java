package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonObjectTest {

    @Test
    void membersAreWrittenInOrderAndNullIsJsonNull() {
        assertEquals(
                "{\"a\":\"x\",\"b\":null,\"c\":\"\"}",
                new JsonObject()
                        .member("a", "x")
                        .member("b", null)
                        .member("c", "")
                        .end());
        assertEquals("{}", new JsonObject().end());
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"say \\\"hi\\\" \\\\ bye\"", JsonObject.quote("say \"hi\" \\ bye"));
        assertEquals("\"a\\nb\\rc\\td\\be\\ff\"", JsonObject.quote("a\nb\rc\td\be\ff"));
        assertEquals("\"\\u0000\\u001b[31m\\u007f\\u0085\"", JsonObject.quote("\u0000\u001b[31m\u007f\u0085"));
    }

    @Test
    void everythingBeyondAsciiIsAnEscapeSoBidiAndLineSeparatorsAreVisible() {
        assertEquals("\"J\\u00fcrgen\"", JsonObject.quote("Jürgen"));
        // a right-to-left override that would show "alice.exe" as something else, and the JavaScript line ends
        assertEquals(
                "\"\\u202eexe.ecila\\u2066\\u2028\\u2029\\u200f\"",
                JsonObject.quote("\u202eexe.ecila\u2066\u2028\u2029\u200f"));
        assertEquals("\"\\ud83d\\udd12\"", JsonObject.quote("\uD83D\uDD12"));
    }

    @Test
    void halfASurrogatePairBecomesTheReplacementCharacter() {
        assertEquals("\"a\\ufffdb\\ufffd\"", JsonObject.quote("a\uD800b\uDC00"));
    }

    @Test
    void anyTextComesBackUnchangedThroughAJsonDecoder() {
        Random random = new Random(20261125);
        for (int n = 0; n < 2000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(24); i > 0; i--) {
                int c;
                do {
                    c = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(Character.MAX_CODE_POINT + 1);
                } while (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
                b.appendCodePoint(c);
            }
            String text = b.toString();
            String json = JsonObject.quote(text);
            assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f), json);
            assertEquals(text, decode(json), json);
        }
    }

    /** A JSON string literal decoded as RFC 8259 §7 says, independently of the writer. */
    static String decode(String literal) {
        assertTrue(literal.length() >= 2 && literal.startsWith("\"") && literal.endsWith("\""), literal);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            assertTrue(c != '"' && c >= 0x20, "unescaped quote or control character in " + literal);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e + " in " + literal);
            }
        }
        return out.toString();
    }
}
