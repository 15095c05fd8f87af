package dev.wirehaven.api.session;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's list of client sessions, as snapshots. Provided by the server bundle; plugins (a
 * monitoring sink that wants context, a policy engine that limits concurrent sessions) use it.
 * Each call returns a fresh snapshot; none of them blocks on the data plane.
 */
@ProviderType
public interface SessionDirectory {

    /** All sessions that have not ended, in the order they started. */
    List<SessionView> sessions();

    /** The session with this id, if it has not ended. */
    Optional<SessionView> find(String sessionId);

    /** The sessions of {@code user} that have not ended, in the order they started. */
    List<SessionView> sessionsOf(String user);

    /**
     * Per-user accounting from the server's own device counters: every user with a session that is
     * open or ended within the retention, by user name.
     *
     * @since 1.3
     */
    default List<UserUsage> usage() {
        return List.of();
    }

    /**
     * Where the open sessions' tunnels come from: the WireGuard endpoint (address and port) that the
     * device last saw each session's peer send from, by session id; a session whose peer has not sent
     * yet is absent.
     *
     * @since 1.4
     */
    default Map<String, InetSocketAddress> endpoints() {
        return Map.of();
    }
}
