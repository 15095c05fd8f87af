package dev.wirehaven.console.internal.pages;

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
import java.util.Locale;
import java.util.Set;

/**
 * The Policy page as HTML: the policy in force with its rules and its text as loaded, why the file as it
 * is now is not in force, the form that validates a candidate with the candidate's problems by line, and
 * the form that checks a flow with the deciding rule. Rule text, file text, problems and the names in a
 * check are the operator's or a file's (and a user or group name may come from a directory), so all of it
 * goes through {@link Html#text}, or {@link #textarea} where the text must survive a round trip.
 */
final class PolicyView {

    static final String NOT_INSTALLED = "No policy engine is installed that shows its policy (the acl engine,"
            + " bundle dev.wirehaven.policy-acl): there is nothing to show, validate or check here. Without an"
            + " engine the server denies every flow.";

    /** Blanks that a tab becomes in the listing: Html.text makes a tab a visible \u0009. */
    private static final String TAB = "    ";

    private PolicyView() {}

    /**
     * A candidate and what the engine found in it.
     *
     * @param candidate the text as the operator posted it
     * @param problems its mistakes; empty when the engine would put it in force
     */
    record Validation(String candidate, List<PolicyProblem> problems) {}

    /** A flow that the operator checked, and the answer. */
    record Checked(
            String user, Set<String> groups, InetAddress address, Protocol protocol, int port, PolicyCheck answer) {}

    /**
     * What the page shows.
     *
     * @param engine the engine's name; null when no engine is there (and so are the others)
     * @param inForce the policy in force
     * @param rejection why the file is not in force, or null
     * @param validation the answer to the validate form, or null
     * @param check the answer to the check form, or null
     */
    record Content(
            String engine,
            PolicyInForce inForce,
            PolicyRejection rejection,
            Validation validation,
            Checked check,
            Instant now) {

        static Content absent(Instant now) {
            return new Content(null, null, null, null, null, now);
        }
    }

    static String render(Content c, PageForm form, String notice) {
        StringBuilder b = new StringBuilder(16384);
        b.append("<div class=\"wirehaven-page\" id=\"wirehaven-policy\">");
        Blocks.notice(b, notice);
        if (c.inForce() == null) {
            Blocks.unavailable(b, NOT_INSTALLED);
            return b.append("</div>").toString();
        }
        inForce(b, c);
        rejection(b, c);
        validateForm(b, c, form);
        checkForm(b, c, form);
        text(b, c.inForce());
        return b.append("</div>").toString();
    }

    private static void inForce(StringBuilder b, Content c) {
        PolicyInForce p = c.inForce();
        b.append(
                "<h2 class=\"ui-widget-header ui-corner-all\">In force</h2><p class=\"statline\" id=\"policy-summary\">");
        if (p.version() == 0) {
            b.append(Html.text("No policy is in force: " + p.source() + " was never loaded, so the " + c.engine()
                    + " engine has no rules and the server denies what no other engine allows."));
        } else {
            b.append(Html.text("Version " + p.version() + " of " + p.source() + " (engine " + c.engine()
                    + "), in force since " + Formats.time(p.since()) + " (" + Formats.age(p.since(), c.now())
                    + "): " + count(p.rules().size(), "rule") + ", "
                    + count(p.others().size(), "other statement")
                    + ". The first rule that matches a flow decides it."));
        }
        b.append("</p>");
        statements(b, "policy-rules", "Rule", p.rules(), "No rules: every flow is left to the other engines.");
        if (!p.others().isEmpty()) {
            statements(b, "policy-others", "Statement", p.others(), "");
        }
    }

    private static void statements(
            StringBuilder b, String id, String heading, List<PolicyStatement> list, String none) {
        if (list.isEmpty()) {
            b.append("<p id=\"")
                    .append(id)
                    .append("-none\">")
                    .append(Html.text(none))
                    .append("</p>");
            return;
        }
        b.append("<table class=\"tablelayout nicetable\" id=\"")
                .append(id)
                .append("\"><thead><tr><th>Line</th><th>Name</th><th>")
                .append(heading)
                .append("</th></tr></thead><tbody>");
        for (PolicyStatement s : list) {
            b.append("<tr data-name=\"")
                    .append(Html.text(s.name()))
                    .append("\">")
                    .append(Blocks.cell(Integer.toString(s.line())))
                    .append(Blocks.cell(s.name()))
                    .append("<td><code>")
                    .append(Html.text(s.text()))
                    .append("</code></td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static void rejection(StringBuilder b, Content c) {
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">The file as it is now</h2>");
        PolicyRejection r = c.rejection();
        if (r == null) {
            b.append("<p id=\"policy-rejection-none\">")
                    .append(Html.text(
                            c.inForce().version() == 0
                                    ? "There is no policy file to load."
                                    : "The policy in force is the file as it is."))
                    .append("</p>");
            return;
        }
        b.append("<p class=\"ui-state-error ui-corner-all\" id=\"policy-rejection-summary\">")
                .append(Html.text("Not in force: found at " + Formats.time(r.at()) + " with "
                        + count(r.problems().size(), "problem") + ". "
                        + (c.inForce().version() == 0
                                ? "No policy is in force until the file is fixed."
                                : "Version " + c.inForce().version() + " stays in force until the file is fixed.")))
                .append("</p>");
        problems(b, "policy-rejection", r.problems(), null);
    }

    /** The problems by line; with the candidate's own lines beside them when {@code text} is given. */
    private static void problems(StringBuilder b, String id, List<PolicyProblem> problems, String text) {
        String[] lines = text == null ? new String[0] : text.split("\r\n|\r|\n", -1);
        b.append("<table class=\"tablelayout nicetable\" id=\"")
                .append(id)
                .append("\"><thead><tr><th>Line</th><th>Field</th><th>Problem</th><th>Fix</th>")
                .append(text == null ? "" : "<th>Text</th>")
                .append("</tr></thead><tbody>");
        for (PolicyProblem p : problems) {
            b.append("<tr data-line=\"")
                    .append(p.line())
                    .append("\">")
                    .append(Blocks.cell(p.line() == 0 ? "file" : Integer.toString(p.line())))
                    .append(Blocks.cell(p.field()))
                    .append(Blocks.cell(p.problem()))
                    .append(Blocks.cell(p.fix()));
            if (text != null) {
                String line = p.line() >= 1 && p.line() <= lines.length ? lines[p.line() - 1] : "";
                b.append("<td><code>")
                        .append(Html.text(line.replace("\t", TAB)))
                        .append("</code></td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }

    private static void validateForm(StringBuilder b, Content c, PageForm form) {
        Validation v = c.validation();
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">Validate a candidate</h2>");
        if (v != null) {
            if (v.problems().isEmpty()) {
                b.append("<p class=\"ui-state-highlight ui-corner-all\" id=\"validation-ok\">No mistakes: the "
                        + "engine would put this text in force.</p>");
            } else {
                b.append("<p class=\"ui-state-error ui-corner-all\" id=\"validation-summary\">")
                        .append(Html.text(
                                "The candidate has " + count(v.problems().size(), "mistake")
                                        + "; the engine would keep the policy in force."))
                        .append("</p>");
                problems(b, "validation-problems", v.problems(), v.candidate());
            }
        }
        b.append("<p>")
                .append(Html.text("Checks a policy text as the " + c.engine() + " engine checks "
                        + c.inForce().source() + " and applies nothing. To change the policy, edit that file:"
                        + " the engine loads each valid edit by itself and keeps the last good one otherwise."))
                .append("</p>")
                .append(form.open("validate-form"))
                .append("<input type=\"hidden\" name=\"")
                .append(PolicyPage.OP)
                .append("\" value=\"")
                .append(PolicyPage.VALIDATE)
                .append("\"/><textarea name=\"")
                .append(PolicyPage.CANDIDATE)
                .append("\" id=\"candidate\" rows=\"20\" cols=\"110\" spellcheck=\"false\">")
                .append(textarea(v == null ? c.inForce().text() : v.candidate()))
                .append("</textarea><br/><button type=\"submit\" class=\"ui-button\">Validate</button></form>");
    }

    private static void checkForm(StringBuilder b, Content c, PageForm form) {
        Checked k = c.check();
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">Check a flow</h2>");
        if (k != null) {
            b.append("<p class=\"ui-state-highlight ui-corner-all\" id=\"check-result\" data-verdict=\"")
                    .append(k.answer().verdict().name())
                    .append("\">")
                    .append(Html.text(answer(c, k)))
                    .append("</p>");
        }
        String protocol = k == null ? "tcp" : k.protocol().name().toLowerCase(Locale.ROOT);
        b.append(form.open("check-form"))
                .append("<input type=\"hidden\" name=\"")
                .append(PolicyPage.OP)
                .append("\" value=\"")
                .append(PolicyPage.CHECK)
                .append("\"/>")
                .append(input("User", PolicyPage.USER, k == null ? "" : k.user(), "alice", true))
                .append(input(
                        "groups",
                        PolicyPage.GROUPS,
                        k == null ? "" : String.join(",", k.groups()),
                        "engineers,ops",
                        false))
                .append(input(
                        "to", PolicyPage.ADDRESS, k == null ? "" : k.address().getHostAddress(), "10.20.0.5", true))
                .append("<label>protocol <select name=\"")
                .append(PolicyPage.PROTOCOL)
                .append("\">");
        for (String p : new String[] {"tcp", "udp", "icmp", "other"}) {
            b.append("<option value=\"")
                    .append(p)
                    .append(p.equals(protocol) ? "\" selected=\"selected\">" : "\">")
                    .append(p)
                    .append("</option>");
        }
        b.append("</select></label> ")
                .append(input(
                        "port",
                        PolicyPage.PORT,
                        k == null || k.port() == 0 ? "" : Integer.toString(k.port()),
                        "22",
                        false))
                .append("<button type=\"submit\" class=\"ui-button\">Check</button></form>");
    }

    private static String answer(Content c, Checked k) {
        String flow = k.user() + (k.groups().isEmpty() ? "" : " (groups " + String.join(",", k.groups()) + ")") + ", "
                + k.protocol().name().toLowerCase(Locale.ROOT) + (k.port() == 0 ? "" : "/" + k.port()) + " to "
                + k.address().getHostAddress() + ": ";
        PolicyCheck a = k.answer();
        String until = a.validUntil() == null
                ? ""
                : " This user's rules change at " + Formats.time(a.validUntil()) + " (a time window).";
        if (a.verdict() == Verdict.NOT_APPLICABLE) {
            return flow + "no rule matches, so " + c.engine()
                    + " answers NOT_APPLICABLE (the server denies unless another engine allows)." + until;
        }
        return flow + a.verdict().name() + " by line " + a.rule().line() + ": "
                + a.rule().text() + "." + until;
    }

    private static String input(String label, String name, String value, String placeholder, boolean required) {
        return "<label>" + Html.text(label) + " <input type=\"text\" name=\"" + name + "\" value=\"" + Html.text(value)
                + "\" placeholder=\"" + Html.text(placeholder) + "\"" + (required ? " required=\"required\"" : "")
                + " size=\"16\"/></label> ";
    }

    /** The file in force line by line, numbered as the problems and rules number them. */
    private static void text(StringBuilder b, PolicyInForce p) {
        if (p.version() == 0) {
            return;
        }
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">The file as loaded</h2><pre id=\"policy-text\">");
        String[] lines = p.text().split("\r\n|\r|\n", -1);
        // a last line break ends the last line; it does not start another
        int count = p.text().isEmpty()
                ? 0
                : p.text().endsWith("\n") || p.text().endsWith("\r") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            b.append(String.format(Locale.ROOT, "%5d  ", i + 1))
                    .append(Html.text(lines[i].replace("\t", TAB)))
                    .append('\n');
        }
        b.append("</pre>");
    }

    /**
     * Text for a textarea, which must come back as it was posted: markup characters become entities, line
     * breaks and tabs stay, nothing is cut. Other invisible characters (bidi overrides, zero-width ones)
     * become a visible {@code \\uXXXX} as everywhere on the pages, so that a candidate cannot hide what it
     * says from the operator; validating it again then reports that text. A textarea drops one line break
     * right after its start tag, so a text that starts with one gets another.
     */
    static String textarea(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        if (text.startsWith("\n") || text.startsWith("\r")) {
            out.append('\n');
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\n', '\r', '\t' -> out.appendCodePoint(c);
                default -> {
                    if (Html.isInvisible(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
