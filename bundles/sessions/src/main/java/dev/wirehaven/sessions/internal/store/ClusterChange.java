package dev.wirehaven.sessions.internal.store;

import java.util.Objects;

/**
 * What one node changed that the others must apply to their own interface.
 *
 * @param id the change's place in the log
 * @param node the node that made it
 * @param kind what changed
 * @param sessionId the session whose peer changed, or null for {@link Kind#POLICY}
 * @param publicKey the peer's key, or null when the change does not concern one key
 */
public record ClusterChange(long id, String node, Kind kind, String sessionId, String publicKey) {

    /** The kinds of change. */
    public enum Kind {
        /** The session's peer must be on every node as its records say, or on none: read them again. */
        PEER,
        /** The policy of every open session changed: parked policy polls are answered. */
        POLICY
    }

    public ClusterChange {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
    }
}
