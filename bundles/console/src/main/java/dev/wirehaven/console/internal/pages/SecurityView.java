package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.response.SecurityResponse;
import java.time.Instant;
import java.util.List;

/**
 * The Security page as HTML: the responses in force (lasting ones with an Undo button), a form to
 * block an address or prefix, the latest responses of every state, and the latest security events.
 * Targets, reasons, notes, user names and details can all come from clients (a user name as typed at
 * a login, an address a detector saw), so all of it goes through {@link Html#text}.
 */
final class SecurityView {

    static final String NOT_INSTALLED =
            "The security responses bundle is not installed: nothing can be blocked or undone here.";

    private SecurityView() {}

    /** What the page shows; {@code active} and {@code recent} are null when the responses bundle is not there. */
    record Content(
            List<SecurityResponse> active,
            List<SecurityResponse> recent,
            List<SecurityEvent> events,
            int eventCapacity,
            Instant now) {}

    static String render(Content c, PageForm form, String notice) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<div class=\"wirehaven-page\" id=\"wirehaven-security\">");
        Blocks.notice(b, notice);
        if (c.active() == null) {
            Blocks.unavailable(b, NOT_INSTALLED);
        } else {
            b.append("<h2 class=\"ui-widget-header ui-corner-all\">In force</h2>");
            responses(b, "active-responses", c.active(), form, true, "No response is in force.");
            blockForm(b, form);
            b.append("<h2 class=\"ui-widget-header ui-corner-all\">Recent responses</h2>");
            responses(b, "recent-responses", c.recent(), form, false, "No responses yet.");
        }
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">Security events</h2><p class=\"statline\">The last ")
                .append(c.eventCapacity())
                .append(" since the console started, newest first.</p>");
        events(b, c.events());
        return b.append("</div>").toString();
    }

    private static void responses(
            StringBuilder b, String id, List<SecurityResponse> list, PageForm form, boolean undo, String none) {
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
                .append("\"><thead><tr><th>Action</th><th>Target</th><th>State</th><th>Reason</th>"
                        + "<th>Requested by</th><th>Started</th><th>Ends</th><th>Note</th><th></th></tr></thead>"
                        + "<tbody>");
        for (SecurityResponse r : list) {
            b.append("<tr data-target=\"")
                    .append(Html.text(r.target()))
                    .append("\">")
                    .append(Blocks.cell(r.action().name()))
                    .append(Blocks.cell(r.target()))
                    .append(Blocks.cell(r.state().name()))
                    .append(Blocks.cell(r.reason()))
                    .append(Blocks.cell(r.requestedBy()))
                    .append(Blocks.cell(Formats.time(r.started())))
                    .append(Blocks.cell(r.action().isLasting() ? Formats.time(r.expires()) : ""))
                    .append(Blocks.cell(r.note()))
                    .append("<td>");
            if (undo && r.isActive() && r.action().isLasting()) {
                b.append(form.button(SecurityPage.UNDO, r.id(), "Undo", "End this response now"));
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static void blockForm(StringBuilder b, PageForm form) {
        b.append("<h2 class=\"ui-widget-header ui-corner-all\">Block a source</h2>")
                .append(form.open("block-form"))
                .append("<input type=\"hidden\" name=\"")
                .append(SecurityPage.OP)
                .append("\" value=\"")
                .append(SecurityPage.BLOCK)
                .append("\"/><label>Address or prefix <input type=\"text\" name=\"")
                .append(SecurityPage.TARGET)
                .append("\" required=\"required\" placeholder=\"192.0.2.7 or 192.0.2.0/24\"/></label> "
                        + "<label>for <input type=\"text\" name=\"")
                .append(SecurityPage.DURATION)
                .append("\" value=\"1h\" size=\"5\" required=\"required\" title=\"90s, 10m, 2h, 7d\"/></label> "
                        + "<label>because <input type=\"text\" name=\"")
                .append(SecurityPage.REASON)
                .append("\" value=\"blocked by an operator\" size=\"30\"/></label> "
                        + "<button type=\"submit\" class=\"ui-button\">Block</button></form>");
    }

    private static void events(StringBuilder b, List<SecurityEvent> events) {
        if (events.isEmpty()) {
            b.append("<p id=\"security-events-none\">No security events since the console started.</p>");
            return;
        }
        b.append("<table class=\"tablelayout nicetable\" id=\"security-events\"><thead><tr><th>Time</th>"
                + "<th>Severity</th><th>Type</th><th>User</th><th>Source</th><th>Detail</th></tr></thead><tbody>");
        for (SecurityEvent e : events) {
            b.append("<tr>")
                    .append(Blocks.cell(Formats.time(e.timestamp())))
                    .append(Blocks.cell(e.severity().name()))
                    .append(Blocks.cell(e.type()))
                    .append(Blocks.cell(e.user()))
                    .append(Blocks.cell(e.source() == null ? "" : e.source().getHostAddress()))
                    .append(Blocks.cell(e.detail()))
                    .append("</tr>");
        }
        b.append("</tbody></table>");
    }
}
