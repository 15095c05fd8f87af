package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.policy.PolicyCheck;
import dev.wirehaven.api.policy.PolicyInForce;
import dev.wirehaven.api.policy.PolicyProblem;
import dev.wirehaven.api.policy.PolicyRejection;
import dev.wirehaven.api.policy.PolicyStatement;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.Verdict;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyViewTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final PageForm FORM = new PageForm("/system/console/wirehaven-policy", "TOKEN");
    private static final String HOSTILE = "rule x</textarea><script>alert(1)</script>: allow group:\"a\u202eb\" -> *";

    private static PolicyInForce inForce(String text, List<PolicyStatement> rules) {
        return new PolicyInForce("/etc/policy.acl", 1, NOW, text, rules, List.of());
    }

    @Test
    void aHostileRuleTextIsEscapedEverywhereItIsShown() throws Exception {
        PolicyStatement rule = new PolicyStatement(1, "x<img src=x>", HOSTILE);
        PolicyProblem problem = new PolicyProblem("/etc/policy.acl", 1, "who<b>", "'<script>' is odd", "fix \"it\"");
        String html = PolicyView.render(
                new PolicyView.Content(
                        "acl",
                        inForce(HOSTILE + "\n", List.of(rule)),
                        new PolicyRejection(NOW, List.of(problem)),
                        new PolicyView.Validation(HOSTILE, List.of(problem)),
                        new PolicyView.Checked(
                                "<u>bob</u>",
                                Set.of("g\u2066"),
                                InetAddress.getByName("10.0.0.1"),
                                Protocol.TCP,
                                22,
                                new PolicyCheck(Verdict.DENY, rule, null)),
                        NOW),
                FORM,
                "");
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("</textarea><script>"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<u>"), html);
        assertFalse(html.contains("<b>"), html);
        assertFalse(html.contains("\u202e"), "a bidi override is made visible");
        assertFalse(html.contains("\u2066"), "a bidi isolate is made visible");
        assertTrue(
                html.contains("rule x&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;: allow"
                        + " group:&quot;a\\u202eb&quot; -&gt; *"),
                html);
        assertTrue(html.contains("&lt;u&gt;bob&lt;/u&gt; (groups g\\u2066)"), html);
        assertEquals(1, html.split("</textarea>", -1).length - 1, "the candidate cannot close its textarea");
    }

    @Test
    void theTextareaKeepsLinesTabsAndLength_andALeadingLineBreak() {
        String text = "\n# comment\n\trule a: allow * to *\r\n" + "x".repeat(Html.MAX_CHARS * 2);
        String escaped = PolicyView.textarea(text);
        assertEquals("\n" + text, escaped, "nothing to escape, nothing cut; one more line break for the parser");
        assertEquals(
                "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; e\\u200b",
                PolicyView.textarea("a & <b> \"c\" 'd' e\u200b"));
    }

    @Test
    void theFileIsListedWithLineNumbersAsTheProblemsCountThem() {
        String html = PolicyView.render(
                new PolicyView.Content(
                        "acl", inForce("# a\n\trule a: allow * -> *\n", List.of()), null, null, null, NOW),
                FORM,
                "");
        assertTrue(
                html.contains("<pre id=\"policy-text\">    1  # a\n    2      rule a: allow * -&gt; *\n</pre>"), html);
        assertTrue(html.contains("No rules: every flow is left to the other engines."), html);
    }

    @Test
    void beforeAnyFileThePageSaysNoPolicyIsInForce() {
        String html = PolicyView.render(
                new PolicyView.Content(
                        "acl",
                        new PolicyInForce("/etc/policy.acl", 0, null, "", List.of(), List.of()),
                        null,
                        null,
                        null,
                        NOW),
                FORM,
                "");
        assertTrue(html.contains("No policy is in force: /etc/policy.acl was never loaded"), html);
        assertTrue(html.contains("There is no policy file to load."), html);
        assertFalse(html.contains("policy-text"), html);
    }
}
