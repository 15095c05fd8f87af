package dev.wirehaven.sessions.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One gateway node as its last heartbeat described it.
 *
 * @param name the node's name, unique among the nodes of one database
 * @param endpoint where clients reach its WireGuard interface ({@code host:port}), or null when unknown
 * @param publicKey its interface's public key (standard base64), or null before it has one
 * @param controlUrl where clients reach its control API ({@code https://host:port}), or null when unknown
 * @param capacity the sessions it is sized for
 * @param openSessions the sessions whose clients it serves now
 * @param cpuLoad the process's CPU use, 0 to 1 (of all cores), averaged over about 10 s
 * @param state whether it takes new sessions
 * @param startedAt when it joined
 * @param heartbeatAt its last heartbeat
 */
public record NodeRecord(
        String name,
        String endpoint,
        String publicKey,
        String controlUrl,
        int capacity,
        int openSessions,
        double cpuLoad,
        NodeState state,
        Instant startedAt,
        Instant heartbeatAt) {

    /** Whether a node takes new sessions. */
    public enum NodeState {
        /** Takes new sessions and holds every session's peer. */
        ACTIVE,
        /** Takes no new sessions; its clients are being moved to other nodes. */
        DRAINING
    }

    public NodeRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    }

    /** The node's room for new sessions, 0 to 1: the smaller of its free session slots and its idle CPU. */
    public double headroom() {
        double sessions = capacity <= 0 ? 0 : 1.0 - (double) openSessions / capacity;
        return Math.max(0, Math.min(sessions, 1.0 - cpuLoad));
    }
}
