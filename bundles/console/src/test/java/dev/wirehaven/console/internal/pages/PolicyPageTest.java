package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.policy.PolicyAdministration;
import dev.wirehaven.api.policy.PolicyCheck;
import dev.wirehaven.api.policy.PolicyInForce;
import dev.wirehaven.api.policy.PolicyProblem;
import dev.wirehaven.api.policy.PolicyRejection;
import dev.wirehaven.api.policy.PolicyStatement;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.Verdict;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Policy page end to end without a container: its two forms, their token check, post/redirect/get. */
class PolicyPageTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final String FILE = "/opt/wirehaven/etc/policy.acl";
    private static final String TEXT = "host git 10.20.0.5\nrule git-ssh: allow group:engineers -> git tcp/22\n";

    private final CsrfTokens tokens = new CsrfTokens(new SecureRandom());
    private final PolicyPage page = new PolicyPage(Clock.fixed(NOW, ZoneOffset.UTC), tokens);
    private final RecordingPolicy policy = new RecordingPolicy();

    /**
     * A policy engine's view that records what the page asks: a candidate's mistakes are its lines that say
     * {@code oops}; a check answers what {@link #answer} holds.
     */
    static final class RecordingPolicy implements PolicyAdministration {
        final List<String> validated = new ArrayList<>();
        final List<String> checked = new ArrayList<>();
        PolicyCheck answer = new PolicyCheck(Verdict.NOT_APPLICABLE, null, null);
        PolicyRejection rejection;

        @Override
        public String engine() {
            return "acl";
        }

        @Override
        public PolicyInForce inForce() {
            return new PolicyInForce(
                    FILE,
                    3,
                    NOW.minusSeconds(90),
                    TEXT,
                    List.of(new PolicyStatement(2, "git-ssh", "rule git-ssh: allow group:engineers -> git tcp/22")),
                    List.of());
        }

        @Override
        public Optional<PolicyRejection> rejection() {
            return Optional.ofNullable(rejection);
        }

        @Override
        public List<PolicyProblem> validate(String text) {
            validated.add(text);
            List<PolicyProblem> problems = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains("oops")) {
                    problems.add(new PolicyProblem(
                            FILE, i + 1, "keyword", "'" + lines[i] + "' is not a statement", "write rule or host"));
                }
            }
            return problems;
        }

        @Override
        public PolicyCheck check(
                String user, Set<String> groups, InetAddress destination, Protocol protocol, int port) {
            checked.add(user + " " + groups + " " + destination.getHostAddress() + " " + protocol + " " + port);
            return answer;
        }
    }

    private FakeHttp.Recorded post(String user, Map<String, String> form) throws Exception {
        FakeHttp.Recorded r = new FakeHttp.Recorded();
        page.doPost(FakeHttp.request(user, form), r.response());
        return r;
    }

    private String show(Map<String, String> query) throws Exception {
        FakeHttp.Recorded r = new FakeHttp.Recorded();
        page.renderContent(FakeHttp.request("admin", query), r.response());
        return r.body();
    }

    private Map<String, String> withToken(Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(fields);
        form.put(CsrfTokens.FIELD, tokens.tokenFor("admin"));
        return form;
    }

    @Test
    void showsThePolicyInForceWithItsRulesAndTextAndTheCandidateFormHoldsIt() throws Exception {
        page.policy = policy;
        String html = show(Map.of());
        assertTrue(
                html.contains("Version 3 of " + FILE + " (engine acl), in force since 2026-12-04 11:58:30 UTC"), html);
        assertTrue(html.contains("<tr data-name=\"git-ssh\"><td>2</td><td>git-ssh</td>"), html);
        assertTrue(html.contains("rule git-ssh: allow group:engineers -&gt; git tcp/22"), html);
        assertTrue(html.contains("    2  rule git-ssh: allow group:engineers -&gt; git tcp/22\n"), html);
        assertTrue(html.contains("spellcheck=\"false\">host git 10.20.0.5\nrule git-ssh"), html);
        assertTrue(html.contains("The policy in force is the file as it is."), html);
        assertTrue(html.contains("name=\"wirehaven-csrf\" value=\"" + tokens.tokenFor("admin") + "\""), html);
        assertFalse(html.contains("validation-problems"), html);
    }

    @Test
    void validatingACandidateShowsItsMistakesByLineAfterTheRedirect_andAppliesNothing() throws Exception {
        page.policy = policy;
        String candidate = "host git 10.20.0.5\noops <b>bold</b>\nrule ok: allow * -> git\n";
        FakeHttp.Recorded r =
                post("admin", withToken(Map.of(PolicyPage.OP, PolicyPage.VALIDATE, PolicyPage.CANDIDATE, candidate)));

        assertEquals(303, r.status);
        assertEquals("wirehaven-policy?outcome=validated", r.headers.get("Location"));
        assertEquals(List.of(candidate), policy.validated);

        String html = show(Map.of("outcome", "validated"));
        assertTrue(html.contains(PolicyPage.VALIDATED), html);
        assertTrue(html.contains("The candidate has 1 mistake;"), html);
        assertTrue(html.contains("<tr data-line=\"2\"><td>2</td><td>keyword</td>"), html);
        assertTrue(html.contains("<td><code>oops &lt;b&gt;bold&lt;/b&gt;</code></td>"), html);
        assertFalse(html.contains("<b>bold"), html);
        // the candidate comes back into its textarea, for the operator to fix
        assertTrue(
                html.contains(
                        ">host git 10.20.0.5\noops &lt;b&gt;bold&lt;/b&gt;\nrule ok: allow * -&gt; git\n</textarea>"),
                html);

        // the answer belongs to the page the post redirected to, not to every later visit
        assertFalse(show(Map.of()).contains("validation-problems"));
    }

    @Test
    void aValidCandidateIsSaidToBeValid() throws Exception {
        page.policy = policy;
        post("admin", withToken(Map.of(PolicyPage.OP, PolicyPage.VALIDATE, PolicyPage.CANDIDATE, TEXT)));
        String html = show(Map.of("outcome", "validated"));
        assertTrue(html.contains("id=\"validation-ok\""), html);
    }

    @Test
    void aPostWithoutTheRightTokenIsRefusedAndNeitherValidatesNorChecks() throws Exception {
        page.policy = policy;
        for (String token : new String[] {
            null, "", tokens.tokenFor("someone-else"), new CsrfTokens(new SecureRandom()).tokenFor("admin")
        }) {
            for (Map<String, String> fields : List.of(
                    Map.of(PolicyPage.OP, PolicyPage.VALIDATE, PolicyPage.CANDIDATE, "oops"),
                    Map.of(
                            PolicyPage.OP, PolicyPage.CHECK,
                            PolicyPage.USER, "bob",
                            PolicyPage.ADDRESS, "10.20.0.5",
                            PolicyPage.PROTOCOL, "tcp",
                            PolicyPage.PORT, "22"))) {
                Map<String, String> form = new HashMap<>(fields);
                if (token != null) {
                    form.put(CsrfTokens.FIELD, token);
                }
                FakeHttp.Recorded r = post("admin", form);
                assertEquals(403, r.status, "token " + token);
                assertTrue(r.body().startsWith("Refused"), r.body());
            }
        }
        assertEquals(
                403,
                post(null, withToken(Map.of(PolicyPage.OP, PolicyPage.VALIDATE, PolicyPage.CANDIDATE, "oops"))).status);
        assertTrue(policy.validated.isEmpty());
        assertTrue(policy.checked.isEmpty());
        assertFalse(show(Map.of("outcome", "validated")).contains("validation-"), "no answer was kept");
    }

    @Test
    void checkingAFlowShowsTheVerdictAndTheRuleThatDecides() throws Exception {
        page.policy = policy;
        policy.answer = new PolicyCheck(
                Verdict.ALLOW,
                new PolicyStatement(2, "git-ssh", "rule git-ssh: allow group:engineers -> git tcp/22"),
                Instant.parse("2026-12-04T18:00:00Z"));
        FakeHttp.Recorded r = post(
                "admin",
                withToken(Map.of(
                        PolicyPage.OP, PolicyPage.CHECK,
                        PolicyPage.USER, " bob ",
                        PolicyPage.GROUPS, "engineers, ops,,",
                        PolicyPage.ADDRESS, "10.20.0.5",
                        PolicyPage.PROTOCOL, "tcp",
                        PolicyPage.PORT, "22")));
        assertEquals("wirehaven-policy?outcome=checked", r.headers.get("Location"));
        assertEquals(List.of("bob [engineers, ops] 10.20.0.5 TCP 22"), policy.checked);

        String html = show(Map.of("outcome", "checked"));
        assertTrue(html.contains("id=\"check-result\" data-verdict=\"ALLOW\""), html);
        assertTrue(
                html.contains("bob (groups engineers,ops), tcp/22 to 10.20.0.5: ALLOW by line 2: rule git-ssh: allow"
                        + " group:engineers -&gt; git tcp/22. This user&#39;s rules change at 2026-12-04 18:00:00 UTC"),
                html);
        // the form keeps what was asked
        assertTrue(html.contains("name=\"user\" value=\"bob\""), html);
        assertTrue(html.contains("<option value=\"tcp\" selected=\"selected\">"), html);
    }

    @Test
    void aFlowThatNoRuleMatchesIsLeftToTheOtherEngines_andIcmpHasNoPort() throws Exception {
        page.policy = policy;
        post(
                "admin",
                withToken(Map.of(
                        PolicyPage.OP, PolicyPage.CHECK,
                        PolicyPage.USER, "eve",
                        PolicyPage.ADDRESS, "fd00:20::8",
                        PolicyPage.PROTOCOL, "icmp",
                        PolicyPage.PORT, "22")));
        assertEquals(List.of("eve [] fd00:20:0:0:0:0:0:8 ICMP 0"), policy.checked);
        String html = show(Map.of("outcome", "checked"));
        assertTrue(html.contains("data-verdict=\"NOT_APPLICABLE\""), html);
        assertTrue(html.contains("no rule matches, so acl answers NOT_APPLICABLE"), html);
    }

    @Test
    void aCheckWithoutAUserAnAddressOrAPortIsRefused_andNoNameIsLookedUp() throws Exception {
        page.policy = policy;
        List<Map<String, String>> bad = List.of(
                Map.of(
                        PolicyPage.USER,
                        "",
                        PolicyPage.ADDRESS,
                        "10.20.0.5",
                        PolicyPage.PROTOCOL,
                        "tcp",
                        PolicyPage.PORT,
                        "22"),
                Map.of(
                        PolicyPage.USER,
                        "bob",
                        PolicyPage.ADDRESS,
                        "git.example.com",
                        PolicyPage.PROTOCOL,
                        "tcp",
                        PolicyPage.PORT,
                        "22"),
                Map.of(
                        PolicyPage.USER,
                        "bob",
                        PolicyPage.ADDRESS,
                        "10.20.0.0/24",
                        PolicyPage.PROTOCOL,
                        "tcp",
                        PolicyPage.PORT,
                        "22"),
                Map.of(
                        PolicyPage.USER,
                        "bob",
                        PolicyPage.ADDRESS,
                        "10.20.0.5",
                        PolicyPage.PROTOCOL,
                        "sctp",
                        PolicyPage.PORT,
                        "22"),
                Map.of(
                        PolicyPage.USER,
                        "bob",
                        PolicyPage.ADDRESS,
                        "10.20.0.5",
                        PolicyPage.PROTOCOL,
                        "tcp",
                        PolicyPage.PORT,
                        ""),
                Map.of(
                        PolicyPage.USER,
                        "bob",
                        PolicyPage.ADDRESS,
                        "10.20.0.5",
                        PolicyPage.PROTOCOL,
                        "udp",
                        PolicyPage.PORT,
                        "65536"),
                Map.of(
                        PolicyPage.USER,
                        "x".repeat(PolicyPage.MAX_NAME + 1),
                        PolicyPage.ADDRESS,
                        "10.20.0.5",
                        PolicyPage.PROTOCOL,
                        "tcp",
                        PolicyPage.PORT,
                        "22"));
        for (Map<String, String> fields : bad) {
            Map<String, String> form = new HashMap<>(fields);
            form.put(PolicyPage.OP, PolicyPage.CHECK);
            assertEquals(
                    "wirehaven-policy?outcome=invalid",
                    post("admin", withToken(form)).headers.get("Location"),
                    fields.toString());
        }
        assertTrue(policy.checked.isEmpty());
    }

    @Test
    void theLastRejectionShowsEachProblemWithItsLineAndFix() throws Exception {
        page.policy = policy;
        policy.rejection = new PolicyRejection(
                NOW.minusSeconds(5),
                List.of(
                        new PolicyProblem(
                                FILE, 0, "file", FILE + " has the permissions rw-rw-rw-", "chmod go-w " + FILE),
                        new PolicyProblem(
                                FILE, 7, "ports", "'tcp/70000' is outside 1-65535", "use ports from 1 to 65535")));
        String html = show(Map.of());
        assertTrue(
                html.contains("Not in force: found at 2026-12-04 11:59:55 UTC with 2 problems. Version 3 stays in"
                        + " force until the file is fixed."),
                html);
        assertTrue(html.contains("<tr data-line=\"0\"><td>file</td><td>file</td>"), html);
        assertTrue(
                html.contains("<tr data-line=\"7\"><td>7</td><td>ports</td><td>&#39;tcp/70000&#39; is outside"
                        + " 1-65535</td><td>use ports from 1 to 65535</td></tr>"),
                html);
    }

    @Test
    void withoutAPolicyEngineThePageSaysSo_andAPostDoesNothing() throws Exception {
        String html = show(Map.of());
        assertTrue(html.contains(PolicyView.NOT_INSTALLED), html);
        assertFalse(html.contains("validate-form"), html);
        FakeHttp.Recorded r =
                post("admin", withToken(Map.of(PolicyPage.OP, PolicyPage.VALIDATE, PolicyPage.CANDIDATE, "oops")));
        assertEquals("wirehaven-policy?outcome=unavailable", r.headers.get("Location"));
        assertTrue(show(Map.of("outcome", "unavailable")).contains("No policy engine is installed: nothing was"));
    }

    @Test
    void theGetAnswerCarriesTheStrictPolicy() throws Exception {
        FakeHttp.Recorded r = new FakeHttp.Recorded();
        page.doGet(FakeHttp.request("admin", Map.of()), r.response());
        assertTrue(r.headers.get("Content-Security-Policy").startsWith("default-src 'self'; script-src 'self'"));
        assertEquals("no-store", r.headers.get("Cache-Control"));
    }
}
