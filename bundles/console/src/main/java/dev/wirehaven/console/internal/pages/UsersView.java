package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.api.admin.UserAccount;
import dev.wirehaven.console.internal.pages.UsersNotices.Notice;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The Users page as HTML: one row per local user with Enable or Disable, a password reset (a password
 * field that is never filled in), and, where the TOTP bundle runs, the user's authenticator with the
 * enrollment's next step. After an enrollment it shows the new secret once. User names are chosen by
 * whoever added the user (or by a directory), and the sentences name them, so all of it goes through
 * {@link Html#text}.
 */
final class UsersView {

    static final String NOT_INSTALLED = "The local users bundle (auth-local) is not running: there are no local"
            + " users to show or change here. Users of other identity providers (LDAP, OIDC) are managed there.";

    static final String NO_USERS =
            "No local users yet. Add one with useradd <name> in the Gogo shell, or bin/wirehaven user add <name>.";

    static final String NO_SECOND_FACTOR =
            "The TOTP second factor (auth-totp) is not running: no authenticators to enroll here.";

    /** Form fields. */
    static final String OP = "op";

    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String CODE = "code";

    /** Form operations. */
    static final String DISABLE = "disable";

    static final String ENABLE = "enable";
    static final String RESET = "reset";
    static final String ENROLL = "enroll";
    static final String CONFIRM = "confirm";
    static final String UNENROLL = "unenroll";

    private UsersView() {}

    /**
     * What the page shows.
     *
     * @param users the local users; null when auth-local is not running or the list failed
     * @param listFailure why the list failed, or null
     * @param factors each user's authenticator by name; null when auth-totp is not running (a user
     *     whose status could not be read is missing)
     */
    record Content(List<UserAccount> users, String listFailure, Map<String, SecondFactorStatus> factors) {}

    static String render(Content c, PageForm form, Notice notice) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<div class=\"wirehaven-page\" id=\"wirehaven-users\">");
        if (notice != null) {
            notice(b, notice);
        }
        if (c.users() == null) {
            Blocks.unavailable(b, c.listFailure() == null ? NOT_INSTALLED : c.listFailure());
            return b.append("</div>").toString();
        }
        if (c.factors() == null) {
            b.append("<p class=\"statline\" id=\"no-second-factor\">")
                    .append(Html.text(NO_SECOND_FACTOR))
                    .append("</p>");
        }
        b.append("<p class=\"statline\">")
                .append(c.users().size() == 1 ? "1 local user" : c.users().size() + " local users")
                .append("</p>");
        if (c.users().isEmpty()) {
            b.append("<p id=\"no-users\">").append(Html.text(NO_USERS)).append("</p>");
            return b.append("</div>").toString();
        }
        b.append("<table class=\"tablelayout nicetable\" id=\"users\"><thead><tr>"
                + "<th>User</th><th>Logins</th><th>Created</th><th></th><th>New password</th>");
        if (c.factors() != null) {
            b.append("<th>Authenticator (TOTP)</th><th></th>");
        }
        b.append("</tr></thead><tbody>");
        for (UserAccount u : c.users()) {
            row(b, u, c.factors(), form);
        }
        return b.append("</tbody></table></div>").toString();
    }

    private static void row(StringBuilder b, UserAccount u, Map<String, SecondFactorStatus> factors, PageForm form) {
        b.append("<tr data-user=\"")
                .append(Html.text(u.name()))
                .append("\" data-disabled=\"")
                .append(u.disabled())
                .append("\">")
                .append(Blocks.cell(u.name()))
                .append("<td class=\"logins\">")
                .append(u.disabled() ? "disabled" : "allowed")
                .append("</td>")
                .append(Blocks.cell(u.created().truncatedTo(ChronoUnit.SECONDS).toString()))
                .append("<td>");
        if (u.disabled()) {
            action(b, form, ENABLE, u.name(), "Enable", "Allow this user's logins again");
        } else {
            action(b, form, DISABLE, u.name(), "Disable", "Refuse this user's logins and end its open sessions");
        }
        b.append("</td><td>");
        // never a value attribute: the password is not sent back, and the browser is told not to keep it
        b.append(form.open(""))
                .append(hidden(OP, RESET))
                .append(hidden(USER, u.name()))
                .append("<input type=\"password\" name=\"" + PASSWORD + "\" autocomplete=\"new-password\""
                        + " required=\"required\" maxlength=\"1024\" aria-label=\"New password\"/>"
                        + "<button type=\"submit\" class=\"ui-button\" name=\"reset-button\""
                        + " title=\"Set this password and end the user's open sessions\">Reset password</button>"
                        + "</form></td>");
        if (factors != null) {
            factor(b, u.name(), factors.get(u.name()), form);
        }
        b.append("</tr>");
    }

    private static void factor(StringBuilder b, String user, SecondFactorStatus status, PageForm form) {
        if (status == null) {
            b.append("<td class=\"factor\">unknown (the store did not answer)</td><td></td>");
            return;
        }
        switch (status.state()) {
            case NONE -> {
                b.append("<td class=\"factor\">none</td><td>");
                action(b, form, ENROLL, user, "Enroll", "Make a new authenticator secret and show it once");
            }
            case UNCONFIRMED -> {
                b.append("<td class=\"factor\">not confirmed</td><td>")
                        .append(form.open(""))
                        .append(hidden(OP, CONFIRM))
                        .append(hidden(USER, user))
                        .append("<input type=\"text\" name=\"" + CODE + "\" inputmode=\"numeric\""
                                + " autocomplete=\"one-time-code\" size=\"8\" maxlength=\"8\" required=\"required\""
                                + " aria-label=\"Code from the app\"/>"
                                + "<button type=\"submit\" class=\"ui-button\""
                                + " title=\"Confirm with a code that the app shows now\">Confirm</button></form>");
                action(b, form, ENROLL, user, "Start again", "Replace the unconfirmed secret with a new one");
                action(b, form, UNENROLL, user, "Remove", "Remove the unconfirmed authenticator");
            }
            case CONFIRMED -> {
                b.append("<td class=\"factor\">confirmed, ")
                        .append(status.backupCodesLeft())
                        .append(status.backupCodesLeft() == 1 ? " backup code left" : " backup codes left")
                        .append("</td><td>");
                action(b, form, UNENROLL, user, "Remove", "Remove the authenticator and the backup codes");
            }
        }
        b.append("</td>");
    }

    private static void notice(StringBuilder b, Notice notice) {
        b.append("<p class=\"ui-corner-all ")
                .append(notice.failed() ? "ui-state-error" : "ui-state-highlight")
                .append("\" id=\"notice\">")
                .append(Html.text(notice.sentence()))
                .append("</p>");
        NewAuthenticator a = notice.authenticator();
        if (a != null) {
            b.append("<div class=\"ui-widget-content ui-corner-all\" id=\"new-authenticator\">")
                    .append("<p>Hand this to ")
                    .append(Html.text(a.user()))
                    .append(" now: it is shown only this once. Whoever has it can make the codes.</p>")
                    .append("<p>Scan it with the authenticator app:</p>")
                    .append(QrSvg.of(a.otpauthUri(), "otpauth-qr"))
                    .append("<p>URI for the authenticator app: <code id=\"otpauth-uri\">")
                    .append(whole(a.otpauthUri()))
                    .append("</code></p><p>Key for typing: <code id=\"otpauth-key\">")
                    .append(Html.text(a.key()))
                    .append("</code></p><p>Then confirm it below with a code that the app shows.</p></div>");
        }
    }

    /** A one-button form that posts the operation for the user. */
    private static void action(StringBuilder b, PageForm form, String op, String user, String label, String title) {
        b.append(form.open(""))
                .append(hidden(OP, op))
                .append(hidden(USER, user))
                .append("<button type=\"submit\" class=\"ui-button\" name=\"")
                .append(op)
                .append("-button\" title=\"")
                .append(Html.text(title))
                .append("\">")
                .append(Html.text(label))
                .append("</button></form>");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.text(value) + "\"/>";
    }

    /**
     * Escaped like {@link Html#text}, but never cut: an otpauth URI with a long percent-encoded name can
     * pass {@link Html#MAX_CHARS}, and a cut URI would be a wrong secret.
     */
    static String whole(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            int end = text.offsetByCodePoints(i, Math.min(Html.MAX_CHARS, text.codePointCount(i, text.length())));
            out.append(Html.text(text.substring(i, end)));
            i = end;
        }
        return out.toString();
    }
}
