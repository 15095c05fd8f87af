package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.console.internal.sink.ConsoleSink;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Security page end to end without a container: its forms, its token check, its post/redirect/get. */
class SecurityPageTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final CsrfTokens tokens = new CsrfTokens(new SecureRandom());
    private final ConsoleSink sink = new ConsoleSink();
    private final FakeResponses responses = new FakeResponses(NOW);
    private final SecurityPage page = new SecurityPage(sink, Clock.fixed(NOW, ZoneOffset.UTC), tokens);

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

    private Map<String, String> block(String target, String duration, String token) {
        Map<String, String> form = new HashMap<>(Map.of(
                SecurityPage.OP, SecurityPage.BLOCK, SecurityPage.TARGET, target, SecurityPage.DURATION, duration));
        if (token != null) {
            form.put(CsrfTokens.FIELD, token);
        }
        return form;
    }

    @Test
    void theBlockFormBlocksForTheGivenTime_thenRedirectsBackToThePage() throws Exception {
        page.responses = responses;
        FakeHttp.Recorded r = post("admin", block("192.0.2.66", "10m", tokens.tokenFor("admin")));

        assertEquals(303, r.status);
        assertEquals("wirehaven-security?outcome=blocked", r.headers.get("Location"));
        assertEquals(1, responses.applied.size());
        assertEquals(ResponseAction.BLOCK_SOURCE, responses.applied.get(0).action());
        assertEquals("192.0.2.66", responses.applied.get(0).target());
        assertEquals(Duration.ofMinutes(10), responses.applied.get(0).duration());
        assertEquals("an operator (console)", responses.applied.get(0).requestedBy());

        String html = show(Map.of("outcome", "blocked"));
        assertTrue(html.contains("The block is in force."), html);
        assertTrue(html.contains("<tr data-target=\"192.0.2.66/32\">"), html);
    }

    @Test
    void aPostWithoutTheRightTokenIsRefusedAndBlocksNothing() throws Exception {
        page.responses = responses;
        for (String token : new String[] {
            null, "", tokens.tokenFor("someone-else"), new CsrfTokens(new SecureRandom()).tokenFor("admin")
        }) {
            FakeHttp.Recorded r = post("admin", block("192.0.2.66", "10m", token));
            assertEquals(403, r.status, "token " + token);
            assertTrue(r.body().startsWith("Refused"), r.body());
        }
        // the right token without a signed-in admin is no better
        assertEquals(403, post(null, block("192.0.2.66", "10m", tokens.tokenFor("admin"))).status);
        assertTrue(responses.applied.isEmpty());
    }

    @Test
    void undoEndsAnActiveBlock() throws Exception {
        page.responses = responses;
        post("admin", block("192.0.2.66", "10m", tokens.tokenFor("admin")));
        String before = show(Map.of());
        assertTrue(before.contains("name=\"undo\" value=\"r0\""), before);

        FakeHttp.Recorded r =
                post("admin", Map.of(SecurityPage.UNDO, "r0", CsrfTokens.FIELD, tokens.tokenFor("admin")));
        assertEquals("wirehaven-security?outcome=undone", r.headers.get("Location"));
        assertEquals(java.util.List.of("r0"), responses.undone);
        String after = show(Map.of("outcome", "undone"));
        assertTrue(after.contains("No response is in force."), after);
        assertTrue(after.contains("UNDONE"), after);

        r = post("admin", Map.of(SecurityPage.UNDO, "r0", CsrfTokens.FIELD, tokens.tokenFor("admin")));
        assertEquals("wirehaven-security?outcome=gone", r.headers.get("Location"));
    }

    @Test
    void theReasonIsTheOperatorsOrADefault_cutToOneLinesLength() throws Exception {
        page.responses = responses;
        Map<String, String> form = block("192.0.2.66", "1h", tokens.tokenFor("admin"));
        post("admin", form);
        form.put(SecurityPage.REASON, "x".repeat(5_000));
        post("admin", form);
        assertEquals("blocked by an operator", responses.applied.get(0).reason());
        assertEquals(SecurityPage.MAX_REASON, responses.applied.get(1).reason().length());
    }

    @Test
    void aBadTargetOrDurationIsReportedAndBlocksNothing() throws Exception {
        page.responses = responses;
        String token = tokens.tokenFor("admin");
        assertEquals(
                "wirehaven-security?outcome=invalid",
                post("admin", block("not-an-address", "10m", token)).headers.get("Location"));
        assertEquals(
                "wirehaven-security?outcome=invalid",
                post("admin", block("192.0.2.66", "forever", token)).headers.get("Location"));
        assertTrue(responses.applied.isEmpty());
    }

    @Test
    void withoutTheResponsesBundleThePageSaysSo_andStillListsEvents() throws Exception {
        sink.securityEvent(new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.LOW,
                NOW,
                "<img src=x onerror=alert(1)>",
                InetAddress.getByName("198.51.100.9"),
                "bad password\u202e"));
        String html = show(Map.of());
        assertTrue(html.contains(SecurityView.NOT_INSTALLED), html);
        assertFalse(html.contains("block-form"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
        assertTrue(html.contains("bad password\\u202e"), html);
        assertTrue(html.contains("198.51.100.9"), html);

        FakeHttp.Recorded r = post("admin", block("192.0.2.66", "10m", tokens.tokenFor("admin")));
        assertEquals("wirehaven-security?outcome=unavailable", r.headers.get("Location"));
    }

    @Test
    void theFormsCarryTheAdminsToken_andAnUnknownOutcomeShowsNothing() throws Exception {
        page.responses = responses;
        String html = show(Map.of("outcome", "<b>forged</b>"));
        assertTrue(html.contains("name=\"wirehaven-csrf\" value=\"" + tokens.tokenFor("admin") + "\""), html);
        assertFalse(html.contains("forged"), html);
        assertFalse(html.contains("id=\"notice\""), html);
    }

    @Test
    void theGetAnswerCarriesTheStrictPolicy() throws Exception {
        FakeHttp.Recorded r = new FakeHttp.Recorded();
        page.doGet(FakeHttp.request("admin", Map.of()), r.response());
        assertTrue(r.headers.get("Content-Security-Policy").startsWith("default-src 'self'; script-src 'self'"));
        assertEquals(200, r.status, "the console, not the page, writes the answer");
    }
}
