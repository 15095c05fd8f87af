package dev.wirehaven.policy.acl.internal.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** StatementReader cuts lines by hand exactly where {@code split("\\R", -1)} would. */
class StatementReaderLinesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "rule",
                "a\n",
                "\n\n",
                "a\r\nb",
                "a\rb\n",
                "\r\r\n\n\r",
                "\r\n\r\n",
                "a\u000Bb\fc\u0085d\u2028e\u2029f",
                "host a 10.0.0.1\r\n# comment\rrule r: allow * -> a\n\n"
            })
    void cutsLinesAsTheLineBreakExpressionDoes(String text) {
        assertEquals(List.of(text.split("\\R", -1)), StatementReader.lines(text));
    }
}
