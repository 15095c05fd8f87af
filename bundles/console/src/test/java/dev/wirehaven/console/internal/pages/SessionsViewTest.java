package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.api.session.SessionView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsViewTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final PageForm FORM = new PageForm("/system/console/wirehaven-sessions", "TOKEN");

    private static SessionView session(String id, String user, String device) throws Exception {
        return new SessionView(
                id,
                new Identity(user, Set.of(), Map.of(), null),
                SessionPhase.ACTIVE,
                List.of(InetAddress.getByName("10.8.0.2")),
                List.of(),
                Base64.getEncoder().encodeToString(new byte[32]),
                device,
                NOW.minusSeconds(600),
                NOW.minusSeconds(42),
                3 * 1024 * 1024,
                1500);
    }

    @Test
    void listsEachSessionWithItsDetailsAndADisconnectButton() throws Exception {
        String html = SessionsView.render(
                List.of(session("s-1", "alice", "laptop")),
                Map.of("s-1", new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 51820)),
                true,
                NOW,
                FORM,
                "");
        for (String part : new String[] {
            "1 open session",
            "alice",
            "ACTIVE",
            "10.8.0.2",
            "203.0.113.5:51820",
            "42 s ago",
            "3.0 MiB",
            "1.5 KiB",
            "laptop",
            "name=\"session\" value=\"s-1\"",
            "name=\"wirehaven-csrf\" value=\"TOKEN\"",
            ">Disconnect<"
        }) {
            assertTrue(html.contains(part), part + " in " + html);
        }
    }

    @Test
    void whatAClientChoseIsEscaped() throws Exception {
        String html = SessionsView.render(
                List.of(session("s-1", "bob\u2066", "<script>alert(1)</script>\u202egnp.exe")),
                Map.of(),
                true,
                NOW,
                FORM,
                "");
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\u202egnp.exe"), html);
        assertTrue(html.contains("bob\\u2066"), html);
    }

    @Test
    void saysWhenThereAreNoSessions_orNoSessionLayer() {
        assertTrue(SessionsView.render(List.of(), Map.of(), true, NOW, FORM, "").contains("No open sessions."));
        assertTrue(SessionsView.render(null, Map.of(), false, NOW, FORM, "").contains(SessionsView.NOT_RUNNING));
    }

    @Test
    void noDisconnectButtonWithoutTheSessionsAdministration() throws Exception {
        String html = SessionsView.render(List.of(session("s-1", "alice", "")), Map.of(), false, NOW, FORM, "");
        assertFalse(html.contains("Disconnect"), html);
    }

    @Test
    void disconnectRevokesAsTheConsoleOperator_onlyWithTheToken() throws Exception {
        CsrfTokens tokens = new CsrfTokens(new SecureRandom());
        SessionsPage page = new SessionsPage(Clock.fixed(NOW, ZoneOffset.UTC), tokens);
        List<String> revoked = new ArrayList<>();
        page.admin = new SessionAdmin() {
            @Override
            public Optional<SessionView> revoke(String sessionId, String by) {
                revoked.add(sessionId + " by " + by);
                return Optional.empty();
            }

            @Override
            public List<SessionView> revokeAllOf(String user, String by) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean requestStepUp(String sessionId, List<String> methods, String reason) {
                throw new UnsupportedOperationException();
            }
        };
        FakeHttp.Recorded refused = new FakeHttp.Recorded();
        page.doPost(FakeHttp.request("admin", Map.of("session", "s-1")), refused.response());
        assertEquals(403, refused.status);
        assertTrue(revoked.isEmpty());

        FakeHttp.Recorded done = new FakeHttp.Recorded();
        page.doPost(
                FakeHttp.request("admin", Map.of("session", "s-1", CsrfTokens.FIELD, tokens.tokenFor("admin"))),
                done.response());
        assertEquals(303, done.status);
        assertEquals(List.of("s-1 by an operator (console)"), revoked);
        assertEquals("wirehaven-sessions?outcome=gone", done.headers.get("Location"));
    }
}
