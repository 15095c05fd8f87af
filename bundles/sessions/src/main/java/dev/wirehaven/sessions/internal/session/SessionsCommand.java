package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionView;
import dev.wirehaven.api.session.UserUsage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gogo commands {@code wirehaven:sessions} (the open sessions as a table) and
 * {@code wirehaven:revoke <sessionId>} (end a session: peer removed, address released) and
 * {@code wirehaven:stepup <sessionId> <method> [reason]} (ask a live session for one more factor) and
 * {@code wirehaven:usage} (per-user accounting from the device's own counters). Like
 * {@code wirehaven:plugins}, they return text that the shell prints. They exist while the session
 * layer runs, because they need its services.
 */
@Component(
        service = SessionsCommand.class,
        property = {
            "osgi.command.scope=wirehaven",
            "osgi.command.function=sessions",
            "osgi.command.function=revoke",
            "osgi.command.function=stepup",
            "osgi.command.function=usage"
        })
public final class SessionsCommand {

    private final SessionDirectory directory;
    private final SessionAdmin admin;
    private final Clock clock;

    @Activate
    public SessionsCommand(@Reference SessionDirectory directory, @Reference SessionAdmin admin) {
        this(directory, admin, Clock.systemUTC());
    }

    SessionsCommand(SessionDirectory directory, SessionAdmin admin, Clock clock) {
        this.directory = directory;
        this.admin = admin;
        this.clock = clock;
    }

    /** The open sessions; see {@link SessionTable}. */
    public String sessions() {
        return SessionTable.render(directory.sessions(), clock.instant());
    }

    /** Ends a session; says what was done, or that there was no such open session. */
    public String revoke(String sessionId) {
        Optional<SessionView> revoked = admin.revoke(sessionId, "an operator (wirehaven:revoke)");
        if (revoked.isEmpty()) {
            return "No open session " + sessionId + "\n";
        }
        SessionView s = revoked.get();
        return "Session " + s.id()
                + (s.identity() == null ? "" : " of " + s.identity().user())
                + " revoked: peer removed, addresses released\n";
    }

    /** Asks a live session for one more factor of {@code method}; the client is asked at its next keep-alive. */
    public String stepup(String sessionId, String method) {
        return stepup(sessionId, method, "asked by an operator");
    }

    /** As {@link #stepup(String, String)}, with the reason the event log and the client show. */
    public String stepup(String sessionId, String method, String reason) {
        if (!admin.requestStepUp(sessionId, java.util.List.of(method), reason)) {
            return "No open authenticated session " + sessionId + "\n";
        }
        return "Session " + sessionId + " is asked for " + method + " at its next keep-alive; its tunnel stays up\n";
    }

    /** Per-user accounting: sessions, connected time, bytes and packets each way, from the device's counters. */
    public String usage() {
        List<UserUsage> all = directory.usage();
        if (all.isEmpty()) {
            return "No usage recorded yet\n";
        }
        StringBuilder out = new StringBuilder(String.format(
                "%-24s %8s %5s %12s %14s %14s %12s %12s%n",
                "USER", "SESSIONS", "OPEN", "CONNECTED", "BYTES IN", "BYTES OUT", "PACKETS IN", "PACKETS OUT"));
        for (UserUsage u : all) {
            out.append(String.format(
                    "%-24s %8d %5d %12s %14d %14d %12d %12d%n",
                    SessionTable.printable(u.user()),
                    u.sessions(),
                    u.open(),
                    Durations.format(u.connected()),
                    u.bytesReceived(),
                    u.bytesSent(),
                    u.packetsReceived(),
                    u.packetsSent()));
        }
        return out.toString();
    }
}
