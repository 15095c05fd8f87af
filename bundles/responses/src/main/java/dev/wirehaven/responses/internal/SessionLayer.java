package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a response does to sessions: revoke one, ask a user's sessions for step-up, end a disabled
 * user's sessions. The session layer's services come and go with the WireGuard interface that the
 * sessions serve, so each action asks for them at the moment it acts and says so when none runs.
 */
final class SessionLayer {

    /** The note of a response that needed the session layer while none ran. */
    static final String NOT_RUNNING = "the session layer is not running";

    /** Whether the sessions part of a response was carried out, and what the operator should read. */
    record Outcome(boolean carriedOut, String note) {}

    private final Supplier<SessionAdmin> admin;
    private final Supplier<SessionDirectory> directory;

    SessionLayer(Supplier<SessionAdmin> admin, Supplier<SessionDirectory> directory) {
        this.admin = admin;
        this.directory = directory;
    }

    /**
     * Revokes one open session, unless its user is allow-listed or its tunnel comes from an
     * allow-listed source.
     */
    Outcome revoke(String sessionId, ResponseSettings settings, String by) {
        SessionAdmin a = admin.get();
        SessionDirectory d = directory.get();
        if (a == null || d == null) {
            return new Outcome(false, NOT_RUNNING);
        }
        Optional<SessionView> session = d.find(sessionId);
        if (session.isEmpty()) {
            return new Outcome(false, "no open session has this id");
        }
        String user = session.get().identity() == null
                ? null
                : session.get().identity().user();
        if (user != null && settings.isAllowListedUser(user)) {
            return new Outcome(false, "the session's user " + user + " is on the allow-list");
        }
        InetSocketAddress endpoint = d.endpoints().get(sessionId);
        InetAddress from = endpoint == null ? null : endpoint.getAddress();
        Optional<IpPrefix> allowed = from == null ? Optional.empty() : settings.allowListedSource(from);
        if (allowed.isPresent()) {
            return new Outcome(
                    false,
                    "the session's tunnel comes from " + from.getHostAddress() + ", inside allow-listed "
                            + SourcePrefixes.canonical(allowed.get()));
        }
        if (a.revoke(sessionId, by).isEmpty()) {
            return new Outcome(false, "no open session has this id");
        }
        return new Outcome(true, user == null ? "session revoked" : "session of " + user + " revoked");
    }

    /** Asks every open session of {@code user} for one more factor of {@code methods}. */
    Outcome stepUp(String user, List<String> methods, String reason) {
        SessionAdmin a = admin.get();
        SessionDirectory d = directory.get();
        if (a == null || d == null) {
            return new Outcome(false, NOT_RUNNING);
        }
        int asked = 0;
        for (SessionView s : d.sessionsOf(user)) {
            // a session that has not authenticated yet is answered false: it has no factor to add to
            if (a.requestStepUp(s.id(), methods, reason)) {
                asked++;
            }
        }
        return new Outcome(true, asked + (asked == 1 ? " session" : " sessions") + " asked");
    }

    /**
     * Ends every open session of a user who was just disabled. Without a session layer no session is
     * open, and the session layer refuses the user's logins when it returns (it asks
     * {@code isDisabled}), so the disable stands either way.
     */
    String revokeAllOf(String user, String by) {
        SessionAdmin a = admin.get();
        if (a == null) {
            return NOT_RUNNING + ": no sessions were open to revoke";
        }
        int revoked = a.revokeAllOf(user, by).size();
        return revoked + (revoked == 1 ? " session" : " sessions") + " revoked";
    }
}
