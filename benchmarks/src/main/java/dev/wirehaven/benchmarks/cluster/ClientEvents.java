package dev.wirehaven.benchmarks.cluster;

import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionListener;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client's connection said, with the {@link System#nanoTime()} it was heard at: the failover
 * part counts from it the logins and new sessions after the kill (there must be none) and reads the
 * SDK's own account of the move ({@code Moved from gateway ... without a new login}).
 *
 * <p>The texts are the SDK's sentences ({@code bundles/client}: {@code Connector}, {@code SetupFlow},
 * {@code Failover}, {@code Recovery}); a sentence that changed makes a count 0, so the report also
 * prints the probing clients' events after the kill as they were.
 */
final class ClientEvents implements ConnectionListener {

    /** A login: steps 1-4 answered (each new session and each re-authentication says so). */
    static final String AUTHENTICATED = "Authenticated as ";
    /** The SDK's failover to another gateway of the cluster. */
    static final String MOVED = "Moved from gateway ";
    /** The single-server recovery after every gateway failed: a new session, so a new login. */
    static final String NEW_SESSION = "Starting a new session";

    /** One event as heard. */
    record Heard(long nanos, ConnectionEvent event) {}

    private final List<Heard> heard = new ArrayList<>();

    @Override
    public synchronized void onEvent(ConnectionEvent event) {
        heard.add(new Heard(System.nanoTime(), event));
    }

    /** The events heard at or after {@code nanos}. */
    synchronized List<Heard> since(long nanos) {
        return heard.stream().filter(h -> h.nanos() >= nanos).toList();
    }

    /** How many events heard at or after {@code nanos} begin with {@code prefix}. */
    synchronized int count(String prefix, long nanos) {
        return (int) heard.stream()
                .filter(h -> h.nanos() >= nanos && h.event().message().startsWith(prefix))
                .count();
    }

    /** The first event at or after {@code nanos} that begins with {@code prefix}, or null. */
    synchronized Heard first(String prefix, long nanos) {
        return heard.stream()
                .filter(h -> h.nanos() >= nanos && h.event().message().startsWith(prefix))
                .findFirst()
                .orElse(null);
    }
}
