package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A sink that keeps what it receives; tests wait for an item because delivery is asynchronous. */
final class RecordingSink implements MonitoringSink {

    final List<SessionEvent> sessionEvents = new CopyOnWriteArrayList<>();
    final List<SecurityEvent> securityEvents = new CopyOnWriteArrayList<>();
    final List<MetricSample> metrics = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public synchronized void metric(MetricSample sample) {
        metrics.add(sample);
        notifyAll();
    }

    @Override
    public synchronized void sessionEvent(SessionEvent event) {
        sessionEvents.add(event);
        notifyAll();
    }

    @Override
    public synchronized void securityEvent(SecurityEvent event) {
        securityEvents.add(event);
        notifyAll();
    }

    /** Waits until a received item matches; fails after a generous deadline (a lost item, not a slow one). */
    synchronized <T> T await(List<T> items, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            for (T item : items) {
                if (match.test(item)) {
                    return item;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the sink never received the expected item; it has " + items);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
