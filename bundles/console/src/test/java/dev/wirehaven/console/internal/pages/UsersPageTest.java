package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorEnrollment;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.api.admin.SecondFactorStatus.State;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.api.admin.UserAccounts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Users page end to end without a container: its forms, its token check, its post/redirect/get. */
class UsersPageTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final String PASSWORD = "Tr0ub4dor&3-secret";

    private final CsrfTokens tokens = new CsrfTokens(new SecureRandom());
    private final UsersPage page = new UsersPage(Clock.fixed(NOW, ZoneOffset.UTC), tokens, new SecureRandom());
    private final Accounts accounts = new Accounts();
    private final Enrollments enrollments = new Enrollments();

    /** Users in memory with the administration's sentences; remembers the passwords it was given. */
    static final class Accounts implements UserAccounts {
        final Map<String, Boolean> disabled = new LinkedHashMap<>();
        final Map<String, String> passwords = new HashMap<>();
        final List<char[]> given = new ArrayList<>();

        @Override
        public List<UserAccount> list() {
            List<UserAccount> all = new ArrayList<>();
            disabled.forEach((name, off) -> all.add(new UserAccount(name, off, NOW)));
            return all;
        }

        private void exists(String name) throws AdminActionException {
            if (!disabled.containsKey(name)) {
                throw new AdminActionException("There is no user " + name + ".");
            }
        }

        @Override
        public String disable(String name) throws AdminActionException {
            exists(name);
            disabled.put(name, true);
            return "User " + name + " disabled: its password is refused until it is enabled again.";
        }

        @Override
        public String enable(String name) throws AdminActionException {
            exists(name);
            disabled.put(name, false);
            return "User " + name + " enabled.";
        }

        @Override
        public String resetPassword(String name, char[] password) throws AdminActionException {
            exists(name);
            if (password.length == 0) {
                throw new AdminActionException("The password is empty; a user needs a password.");
            }
            given.add(password);
            passwords.put(name, new String(password));
            return "Password of user " + name + " changed.";
        }
    }

    /** Authenticators in memory: a code "123456" confirms. */
    static final class Enrollments implements SecondFactorEnrollment {
        final Map<String, State> states = new HashMap<>();

        @Override
        public SecondFactorStatus status(String user) {
            return new SecondFactorStatus(user, states.getOrDefault(user, State.NONE), 0);
        }

        @Override
        public NewAuthenticator start(String user) throws AdminActionException {
            if (states.get(user) == State.CONFIRMED) {
                throw new AdminActionException(user + " has a confirmed authenticator already.");
            }
            states.put(user, State.UNCONFIRMED);
            return new NewAuthenticator(
                    user,
                    "otpauth://totp/Wirehaven:" + user + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Wirehaven",
                    "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP",
                    "Authenticator for " + user + " enrolled; not confirmed yet.");
        }

        @Override
        public String confirm(String user, String code) throws AdminActionException {
            if (states.get(user) != State.UNCONFIRMED || !code.equals("123456")) {
                throw new AdminActionException("The code does not match " + user + "'s new authenticator now.");
            }
            states.put(user, State.CONFIRMED);
            return "Authenticator of " + user + " confirmed.";
        }

        @Override
        public String remove(String user) throws AdminActionException {
            if (states.remove(user) == null) {
                throw new AdminActionException(user + " has no authenticator.");
            }
            return "Authenticator and backup codes of " + user + " removed.";
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

    /** Posts with the admin's token and follows the redirect, as the browser does. */
    private String act(Map<String, String> fields) throws Exception {
        Map<String, String> form = new HashMap<>(fields);
        form.put(CsrfTokens.FIELD, tokens.tokenFor("admin"));
        FakeHttp.Recorded r = post("admin", form);
        assertEquals(303, r.status);
        String location = r.headers.get("Location");
        assertTrue(location.matches("wirehaven-users\\?outcome=[0-9a-f]{32}"), location);
        return show(Map.of("outcome", location.substring(location.indexOf('=') + 1)));
    }

    private static String rowOf(String html, String user) {
        int start = html.indexOf("<tr data-user=\"" + user + "\"");
        assertTrue(start >= 0, user + " in " + html);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    @Test
    void disableThenEnable_showTheAdministrationsSentenceOnceAndTheUsersNewState() throws Exception {
        page.accounts = accounts;
        accounts.disabled.put("alice", false);

        String html = act(Map.of(UsersView.OP, UsersView.DISABLE, UsersView.USER, "alice"));
        assertTrue(accounts.disabled.get("alice"));
        assertTrue(html.contains("User alice disabled: its password is refused"), html);
        assertTrue(rowOf(html, "alice").contains("<td class=\"logins\">disabled</td>"), html);
        assertFalse(show(Map.of()).contains("id=\"notice\""), "a reload shows the sentence no more");

        html = act(Map.of(UsersView.OP, UsersView.ENABLE, UsersView.USER, "alice"));
        assertFalse(accounts.disabled.get("alice"));
        assertTrue(html.contains("User alice enabled."), html);
        assertTrue(rowOf(html, "alice").contains("<td class=\"logins\">allowed</td>"), html);
    }

    @Test
    void aPostWithoutTheRightTokenIsRefusedAndChangesNothing() throws Exception {
        page.accounts = accounts;
        page.enrollment = enrollments;
        accounts.disabled.put("alice", false);
        for (String token : new String[] {
            null, "", tokens.tokenFor("someone-else"), new CsrfTokens(new SecureRandom()).tokenFor("admin")
        }) {
            for (String op : List.of(UsersView.DISABLE, UsersView.RESET, UsersView.ENROLL)) {
                Map<String, String> form =
                        new HashMap<>(Map.of(UsersView.OP, op, UsersView.USER, "alice", UsersView.PASSWORD, PASSWORD));
                if (token != null) {
                    form.put(CsrfTokens.FIELD, token);
                }
                FakeHttp.Recorded r = post("admin", form);
                assertEquals(403, r.status, op + " with token " + token);
                assertTrue(r.body().startsWith("Refused"), r.body());
            }
        }
        assertEquals(
                403,
                post(
                                null,
                                Map.of(
                                        UsersView.OP,
                                        UsersView.DISABLE,
                                        UsersView.USER,
                                        "alice",
                                        CsrfTokens.FIELD,
                                        tokens.tokenFor("admin")))
                        .status);
        assertFalse(accounts.disabled.get("alice"));
        assertTrue(accounts.passwords.isEmpty());
        assertTrue(enrollments.states.isEmpty());
    }

    @Test
    void resetPassesThePasswordOn_wipesItsCopy_andNeverShowsIt() throws Exception {
        page.accounts = accounts;
        accounts.disabled.put("alice", false);

        String html = act(Map.of(UsersView.OP, UsersView.RESET, UsersView.USER, "alice", UsersView.PASSWORD, PASSWORD));

        assertEquals(PASSWORD, accounts.passwords.get("alice"));
        assertTrue(new String(accounts.given.get(0)).chars().allMatch(c -> c == 0), "the page wiped its copy");
        assertTrue(html.contains("Password of user alice changed."), html);
        assertFalse(html.contains(PASSWORD), html);
        assertFalse(html.contains("Tr0ub4dor"), html);
        assertFalse(show(Map.of()).contains("Tr0ub4dor"));
    }

    @Test
    void aRefusalShowsTheAdministrationsReason() throws Exception {
        page.accounts = accounts;
        accounts.disabled.put("alice", false);
        String html = act(Map.of(UsersView.OP, UsersView.RESET, UsersView.USER, "alice", UsersView.PASSWORD, ""));
        assertTrue(
                html.contains("ui-state-error\" id=\"notice\">The password is empty; a user needs a password."), html);
        html = act(Map.of(UsersView.OP, UsersView.DISABLE, UsersView.USER, "carol"));
        assertTrue(html.contains("There is no user carol."), html);
        html = act(Map.of(UsersView.OP, "drop-table", UsersView.USER, "alice"));
        assertTrue(html.contains("That is not an action of this page"), html);
        assertFalse(accounts.disabled.get("alice"));
    }

    @Test
    void enrollmentShowsTheSecretOnce_thenConfirmAndRemove() throws Exception {
        page.accounts = accounts;
        page.enrollment = enrollments;
        accounts.disabled.put("alice", false);
        assertTrue(rowOf(show(Map.of()), "alice").contains("value=\"enroll\""));

        String html = act(Map.of(UsersView.OP, UsersView.ENROLL, UsersView.USER, "alice"));
        assertTrue(html.contains("<code id=\"otpauth-uri\">otpauth://totp/Wirehaven:alice?secret=JBSWY3DP"), html);
        assertTrue(html.contains("JBSW Y3DP EHPK 3PXP"), html);
        assertTrue(rowOf(html, "alice").contains("not confirmed"), html);
        assertFalse(show(Map.of()).contains("JBSWY3DP"), "the secret is shown once");

        html = act(Map.of(UsersView.OP, UsersView.CONFIRM, UsersView.USER, "alice", UsersView.CODE, "000000"));
        assertTrue(html.contains("The code does not match alice"), html);
        html = act(Map.of(UsersView.OP, UsersView.CONFIRM, UsersView.USER, "alice", UsersView.CODE, "123456"));
        assertTrue(html.contains("Authenticator of alice confirmed."), html);
        assertTrue(rowOf(html, "alice").contains("confirmed, 0 backup codes left"), html);

        html = act(Map.of(UsersView.OP, UsersView.UNENROLL, UsersView.USER, "alice"));
        assertTrue(html.contains("Authenticator and backup codes of alice removed."), html);
        assertEquals(State.NONE, enrollments.status("alice").state());
    }

    @Test
    void withoutTheLocalUsersBundleThePageSaysSo_andChangesNothing() throws Exception {
        String html = show(Map.of());
        assertTrue(html.contains(UsersView.NOT_INSTALLED), html);
        assertFalse(html.contains("<form"), html);

        html = act(Map.of(UsersView.OP, UsersView.DISABLE, UsersView.USER, "alice"));
        assertTrue(html.contains("Nothing was changed."), html);
    }

    @Test
    void withoutTheTotpBundleThereIsNoEnrollment() throws Exception {
        page.accounts = accounts;
        accounts.disabled.put("alice", false);
        String html = show(Map.of());
        assertTrue(html.contains(UsersView.NO_SECOND_FACTOR), html);
        assertFalse(html.contains("value=\"enroll\""), html);

        html = act(Map.of(UsersView.OP, UsersView.ENROLL, UsersView.USER, "alice"));
        assertTrue(html.contains(UsersView.NO_SECOND_FACTOR + " Nothing was changed."), html);
    }

    @Test
    void anUnknownOrForgedOutcomeShowsNothing() throws Exception {
        page.accounts = accounts;
        String html = show(Map.of("outcome", "<script>alert(1)</script>"));
        assertFalse(html.contains("script"), html);
        assertFalse(html.contains("id=\"notice\""), html);
    }
}
