package dev.wirehaven.sessions.internal.monitor;

import dev.wirehaven.api.monitor.MonitoringSink;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way to one monitoring sink: a bounded queue and the sink's own thread, which delivers one item
 * at a time in the order they were offered. Offering never blocks: when the queue is full the oldest
 * item is dropped (the newest say more about now) and counted. A sink that throws is logged and gets
 * the next item as usual.
 */
final class SinkChannel {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringDispatcher.class);

    private final String name;
    private final MonitoringSink sink;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final LogThrottle dropLog = new LogThrottle(1, TimeUnit.MINUTES);
    private final LogThrottle failureLog = new LogThrottle(1, TimeUnit.MINUTES);

    SinkChannel(String name, MonitoringSink sink, int capacity) {
        this.name = name;
        this.sink = sink;
        this.executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, "wirehaven-monitor-" + name);
                    t.setDaemon(true);
                    return t;
                },
                this::dropOldest);
    }

    String name() {
        return name;
    }

    /** Items dropped because the sink fell behind. */
    long dropped() {
        return dropped.get();
    }

    /** Deliveries that threw. */
    long failures() {
        return failures.get();
    }

    void offer(Consumer<MonitoringSink> delivery) {
        try {
            executor.execute(() -> deliver(delivery));
        } catch (RejectedExecutionException closing) {
            // the sink is being unbound: what it did not get any more is lost with it
        }
    }

    /** Stops taking items, lets the call in progress finish for {@code wait}, then abandons it. */
    void close(Duration wait) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                LOG.warn(
                        "Monitoring sink {} did not finish within {} ms after it was unbound; its thread was "
                                + "interrupted and {} queued items are lost",
                        name,
                        wait.toMillis(),
                        executor.getQueue().size());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Consumer<MonitoringSink> delivery) {
        try {
            delivery.accept(sink);
        } catch (RuntimeException | LinkageError e) {
            failures.incrementAndGet();
            long held = failureLog.permit();
            if (held >= 0) {
                LOG.warn(
                        "Monitoring sink {} threw while receiving an item ({} more failures not logged since the "
                                + "last line); later items are delivered as usual",
                        name,
                        held,
                        e);
            }
        }
    }

    /** Runs on the offering thread when the queue is full: makes room by dropping the oldest item. */
    private void dropOldest(Runnable item, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            return;
        }
        if (pool.getQueue().poll() != null) {
            countDrop();
        }
        if (!pool.getQueue().offer(item)) {
            // another offering thread took the free place first
            countDrop();
        }
    }

    private void countDrop() {
        long total = dropped.incrementAndGet();
        long held = dropLog.permit();
        if (held >= 0) {
            LOG.warn(
                    "Monitoring sink {} is falling behind: its queue is full, the oldest items are dropped "
                            + "({} dropped in all); a sink must return quickly and do slow work on its own threads",
                    name,
                    total);
        }
    }
}
