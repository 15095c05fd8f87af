package dev.wirehaven.console.internal.pages;

import dev.wirehaven.api.session.SessionView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Sessions page as HTML: one row per open session, each with a Disconnect button. Everything a
 * client chose (its device name, and the user name, which an identity provider passes on) goes
 * through {@link Html#text}.
 */
final class SessionsView {

    static final String NOT_RUNNING = "The session layer is not running: no sessions to show. It starts once a"
            + " WireGuard interface is up (etc/dev.wirehaven.wireguard.interface-wg0.cfg); the server log says what"
            + " it waits for.";

    private SessionsView() {}

    /**
     * @param sessions the open sessions, or null when the session layer is not running
     * @param endpoints where each session's tunnel comes from, by session id
     * @param canRevoke whether the sessions' administration is there to disconnect one
     */
    static String render(
            List<SessionView> sessions,
            Map<String, InetSocketAddress> endpoints,
            boolean canRevoke,
            Instant now,
            PageForm form,
            String notice) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<div class=\"wirehaven-page\" id=\"wirehaven-sessions\">");
        Blocks.notice(b, notice);
        if (sessions == null) {
            Blocks.unavailable(b, NOT_RUNNING);
            return b.append("</div>").toString();
        }
        b.append("<p class=\"statline\">")
                .append(sessions.size() == 1 ? "1 open session" : sessions.size() + " open sessions")
                .append("</p>");
        if (sessions.isEmpty()) {
            b.append("<p id=\"no-sessions\">No open sessions.</p>");
            return b.append("</div>").toString();
        }
        b.append("<table class=\"tablelayout nicetable\" id=\"sessions\"><thead><tr>"
                + "<th>User</th><th>Phase</th><th>Tunnel addresses</th><th>Endpoint</th><th>Last handshake</th>"
                + "<th>Received</th><th>Sent</th><th>Device</th><th>Session</th><th></th></tr></thead><tbody>");
        for (SessionView s : sessions) {
            InetSocketAddress endpoint = endpoints.get(s.id());
            b.append("<tr>")
                    .append(Blocks.cell(
                            s.identity() == null
                                    ? "(not signed in)"
                                    : s.identity().user()))
                    .append(Blocks.cell(s.phase().name()))
                    .append(Blocks.cell(s.tunnelAddresses().stream()
                            .map(InetAddress::getHostAddress)
                            .collect(Collectors.joining(", "))))
                    .append(Blocks.cell(
                            endpoint == null ? "" : endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort()))
                    .append(Blocks.cell(Formats.age(s.lastHandshake(), now)))
                    .append(Blocks.cell(Formats.bytes(s.bytesReceived())))
                    .append(Blocks.cell(Formats.bytes(s.bytesSent())))
                    .append(Blocks.cell(s.deviceName()))
                    .append(Blocks.cell(s.id()))
                    .append("<td>");
            if (canRevoke) {
                b.append(form.button(
                        SessionsPage.SESSION,
                        s.id(),
                        "Disconnect",
                        "End this session now; the client must log in again"));
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table></div>").toString();
    }
}
