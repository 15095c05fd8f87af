package dev.wirehaven.client.testing;

import dev.wirehaven.client.ConnectionEvent;
import dev.wirehaven.client.ConnectionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps every event; tests wait for the one they expect (the timeout only guards against a hang). */
public final class RecordingListener implements ConnectionListener {

    private static final long GUARD_SECONDS = 60;
    private final List<ConnectionEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(ConnectionEvent event) {
        events.add(event);
        notifyAll();
    }

    public synchronized List<ConnectionEvent> events() {
        return List.copyOf(events);
    }

    public synchronized long count(ConnectionEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    /** Waits until {@code n} events of {@code kind} happened; fails (not hangs) after a generous guard. */
    public synchronized ConnectionEvent awaitNth(ConnectionEvent.Kind kind, int n) throws InterruptedException {
        return await(e -> e.kind() == kind, n);
    }

    public synchronized ConnectionEvent await(Predicate<ConnectionEvent> match, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        while (true) {
            List<ConnectionEvent> found = events.stream().filter(match).toList();
            if (found.size() >= n) {
                return found.get(n - 1);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the expected event did not come; events: " + events);
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }
}
