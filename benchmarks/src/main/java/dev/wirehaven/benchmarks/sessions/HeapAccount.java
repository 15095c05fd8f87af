package dev.wirehaven.benchmarks.sessions;

/**
 * Splits the server's heap growth between the sessions and the HTTPS connections that carry them.
 * An idle session keeps one connection open (its policy long poll), and a connection has a heap cost
 * of its own (TLS engine, HTTP parser, buffers) that does not depend on what the session holds. Four
 * live-heap measurements with their connection counts separate the two:
 *
 * <pre>
 *   before     after the warm-up, before the measured clients connect
 *   idle       N sessions idle (each with its long poll)
 *   closed     after the disconnects: no session, but the clients' idle connections still open
 *   drained    after the server's idle timeout closed those connections
 * </pre>
 *
 * per connection = (closed - drained) / (connections closed - connections drained);
 * per session without its connection = (idle - before - added connections x per connection) / N.
 */
final class HeapAccount {

    /** A live-heap measurement and the connections open when it was taken. */
    record Point(long heapBytes, int connections) {}

    private final Point before;
    private final Point idle;
    private final Point closed;
    private final Point drained;
    private final int sessions;

    /** @param drained null when the connections were not waited for */
    HeapAccount(Point before, Point idle, Point closed, Point drained, int sessions) {
        this.before = before;
        this.idle = idle;
        this.closed = closed;
        this.drained = drained;
        this.sessions = sessions;
    }

    /** Everything an idle session adds to the server's heap, its connection included. */
    long perIdleSession() {
        return sessions == 0 ? -1 : (idle.heapBytes() - before.heapBytes()) / sessions;
    }

    /** What one idle HTTPS connection holds, or -1 when no connection closed between the last two points. */
    long perConnection() {
        if (drained == null || closed.connections() <= drained.connections()) {
            return -1;
        }
        return (closed.heapBytes() - drained.heapBytes()) / (closed.connections() - drained.connections());
    }

    /** An idle session without the heap of its connection (the session, its lease, its WireGuard peer), or -1. */
    long perSessionWithoutConnection() {
        long connection = perConnection();
        if (connection < 0 || sessions == 0) {
            return -1;
        }
        long added = idle.connections() - before.connections();
        return (idle.heapBytes() - before.heapBytes() - added * connection) / sessions;
    }

    /** What a disconnected session leaves behind (its rows stay in the store for a week), or -1. */
    long perClosedSession() {
        long connection = perConnection();
        if (connection < 0 || sessions == 0) {
            return -1;
        }
        long added = drained.connections() - before.connections();
        return (drained.heapBytes() - before.heapBytes() - added * connection) / sessions;
    }

    /** Connections the idle sessions added (a long poll each, plus any the burst left open). */
    int addedConnections() {
        return idle.connections() - before.connections();
    }
}
