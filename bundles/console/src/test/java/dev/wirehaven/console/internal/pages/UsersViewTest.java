package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.api.admin.SecondFactorStatus.State;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.console.internal.pages.UsersNotices.Notice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersViewTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T09:30:00.123Z");
    private static final PageForm FORM = new PageForm("/system/console/wirehaven-users", "TOKEN");

    private static String render(List<UserAccount> users, Map<String, SecondFactorStatus> factors, Notice notice) {
        return UsersView.render(new UsersView.Content(users, null, factors), FORM, notice);
    }

    private static String rowOf(String html, String user) {
        int start = html.indexOf("<tr data-user=\"" + user + "\"");
        assertTrue(start >= 0, user + " in " + html);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    @Test
    void aDisabledUserShowsAsDisabled_withEnable_andAnEnabledOneWithDisable() {
        String html = render(
                List.of(new UserAccount("alice", false, CREATED), new UserAccount("bob", true, CREATED)), null, null);

        assertTrue(html.contains("2 local users"), html);
        String alice = rowOf(html, "alice");
        assertTrue(alice.contains("data-disabled=\"false\""), alice);
        assertTrue(alice.contains("<td class=\"logins\">allowed</td>"), alice);
        assertTrue(alice.contains("name=\"op\" value=\"disable\""), alice);
        assertTrue(alice.contains("2026-12-01T09:30:00Z"), alice);
        String bob = rowOf(html, "bob");
        assertTrue(bob.contains("data-disabled=\"true\""), bob);
        assertTrue(bob.contains("<td class=\"logins\">disabled</td>"), bob);
        assertTrue(bob.contains("name=\"op\" value=\"enable\""), bob);
        assertFalse(bob.contains("value=\"disable\""), bob);
    }

    @Test
    void everyFormCarriesTheTokenAndTheUser_andThePasswordFieldIsNeverFilledIn() {
        String row = rowOf(render(List.of(new UserAccount("alice", false, CREATED)), null, null), "alice");
        int forms = row.split("<form ", -1).length - 1;
        assertEquals(2, forms, row);
        assertEquals(forms, row.split("name=\"wirehaven-csrf\" value=\"TOKEN\"", -1).length - 1, row);
        assertEquals(forms, row.split("name=\"user\" value=\"alice\"", -1).length - 1, row);
        int field = row.indexOf("type=\"password\"");
        String input = row.substring(row.lastIndexOf("<input", field), row.indexOf("/>", field));
        assertFalse(input.contains("value="), input);
        assertTrue(input.contains("autocomplete=\"new-password\""), input);
    }

    @Test
    void namesAndSentencesAreEscaped() {
        String hostile = "<img src=x onerror=alert(1)>\u202e";
        String html = render(
                List.of(new UserAccount(hostile, false, CREATED)),
                Map.of(hostile, new SecondFactorStatus(hostile, State.NONE, 0)),
                Notice.done("User " + hostile + " enabled."));
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;\\u202e"), html);
        assertTrue(html.contains("User &lt;img"), html);
    }

    @Test
    void theAuthenticatorColumnShowsEachStateWithItsNextStep_onlyWithTheTotpBundle() {
        List<UserAccount> users = List.of(
                new UserAccount("alice", false, CREATED),
                new UserAccount("bob", false, CREATED),
                new UserAccount("carol", false, CREATED),
                new UserAccount("dave", false, CREATED));
        String html = render(
                users,
                Map.of(
                        "alice", new SecondFactorStatus("alice", State.NONE, 0),
                        "bob", new SecondFactorStatus("bob", State.UNCONFIRMED, 0),
                        "carol", new SecondFactorStatus("carol", State.CONFIRMED, 7)),
                null);

        String alice = rowOf(html, "alice");
        assertTrue(alice.contains("<td class=\"factor\">none</td>"), alice);
        assertTrue(alice.contains("value=\"enroll\""), alice);
        String bob = rowOf(html, "bob");
        assertTrue(bob.contains("not confirmed"), bob);
        assertTrue(bob.contains("value=\"confirm\"") && bob.contains("name=\"code\""), bob);
        assertTrue(bob.contains("value=\"unenroll\""), bob);
        String carol = rowOf(html, "carol");
        assertTrue(carol.contains("confirmed, 7 backup codes left"), carol);
        assertTrue(carol.contains("value=\"unenroll\"") && !carol.contains("value=\"enroll\""), carol);
        assertTrue(rowOf(html, "dave").contains("unknown"), html);

        String without = render(users, null, null);
        assertFalse(without.contains("Authenticator"), without);
        assertFalse(without.contains("value=\"enroll\""), without);
        assertTrue(without.contains(UsersView.NO_SECOND_FACTOR), without);
    }

    @Test
    void aNewAuthenticatorIsShownWhole_evenPastTheCutOfOtherText() {
        String uri = "otpauth://totp/Wirehaven:" + "%C3%A9".repeat(100) + "?secret=" + "A".repeat(32)
                + "&issuer=Wirehaven&algorithm=SHA1&digits=6&period=30";
        assertTrue(uri.length() > Html.MAX_CHARS);
        NewAuthenticator a = new NewAuthenticator("alice", uri, "AAAA AAAA", "Authenticator for alice enrolled.");
        String html = render(List.of(), Map.of(), new Notice(a.sentence(), false, a));
        assertTrue(html.contains("<code id=\"otpauth-uri\">" + uri.replace("&", "&amp;") + "</code>"), html);
        assertTrue(html.contains("<code id=\"otpauth-key\">AAAA AAAA</code>"), html);
        assertTrue(html.contains("shown only this once"), html);
    }

    @Test
    void saysWhenThereAreNoUsers_orNoLocalUsersBundle_orTheListFailed() {
        assertTrue(render(List.of(), null, null).contains("No local users yet."));
        assertTrue(UsersView.render(new UsersView.Content(null, null, null), FORM, null)
                .contains(UsersView.NOT_INSTALLED));
        String failed = UsersView.render(new UsersView.Content(null, "The store failed: gone", null), FORM, null);
        assertTrue(failed.contains("The store failed: gone"), failed);
        assertFalse(failed.contains("<form"), failed);
    }

    @Test
    void aRefusalIsShownAsAnError() {
        String html = render(List.of(), null, Notice.refused("There is no user carol."));
        assertTrue(html.contains("ui-state-error\" id=\"notice\">There is no user carol.</p>"), html);
    }
}
