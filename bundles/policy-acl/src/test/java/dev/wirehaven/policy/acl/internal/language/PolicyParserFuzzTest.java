package dev.wirehaven.policy.acl.internal.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import java.nio.charset.StandardCharsets;

/**
 * The policy file parser on any text: it gives either a policy whose every rule compiles into data-plane
 * rules, or an {@link InvalidPolicyException} whose every error names a line of the file and a field, in
 * the {@code file:line: field: problem; fix} shape that editors jump to. Nothing else may come out of it:
 * the file is the operator's, but it is read while the server runs, and a parser that throws anything
 * else would leave the engine without a verdict on the edit.
 *
 * <p>Regression mode (every build) runs the inputs in {@code PolicyParserFuzzTestInputs/parse}: the
 * shipped example, the README's file, and each error case of {@code PolicyParserTest}. Fuzzing mode: see
 * the README.
 */
class PolicyParserFuzzTest {

    private static final String SOURCE = "policy.acl";

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] input) {
        // the engine refuses a file that is not UTF-8 before the parser sees it (PolicyFile); decoding
        // leniently still gives the parser every text a UTF-8 file can hold, U+FFFD included
        String text = new String(input, StandardCharsets.UTF_8);
        // the lines as StatementReader counts them: a leading BOM is not a line of its own
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int lines = StatementReader.lines(body).size();
        Policy policy;
        try {
            policy = PolicyParser.parse(SOURCE, text);
        } catch (InvalidPolicyException e) {
            assertFalse(e.errors().isEmpty(), "an invalid policy names at least one error");
            int previous = 0;
            for (PolicyError error : e.errors()) {
                assertTrue(
                        error.line() >= 1 && error.line() <= lines,
                        () -> "error on line " + error.line() + " of a file of " + lines + " lines: " + error);
                // the messages are built only on a failure: built eagerly, each error printed every error
                // of its file again, quadratic in the errors of an input and most of the fuzzing time
                int before = previous;
                assertTrue(error.line() >= before, () -> "errors are in line order: " + e.errors());
                previous = error.line();
                assertFalse(error.field().isBlank(), () -> "error without a field: " + error);
                assertFalse(error.problem().isBlank(), () -> "error without a problem: " + error);
                assertTrue(
                        error.toString().startsWith(SOURCE + ":" + error.line() + ": " + error.field() + ": "),
                        error::toString);
            }
            return;
        }
        assertNotNull(policy);
        assertEquals(SOURCE, policy.source());
        for (Rule rule : policy.rules()) {
            assertTrue(rule.line() >= 1 && rule.line() <= lines, () -> "rule on line " + rule.line());
            // what the engine does with a policy in force: each rule becomes data-plane rules
            assertEquals(rule.size(), rule.accessRules().size(), rule::toString);
            assertNotNull(rule.toString());
        }
        for (Advertisement advertisement : policy.advertisements()) {
            assertTrue(advertisement.line() >= 1 && advertisement.line() <= lines, advertisement::toString);
            assertNotNull(advertisement.toString());
        }
    }
}
