package dev.wirehaven.sessions.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.session.SessionPhase;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MonitoringDispatcherTest {

    private static final int CAPACITY = 4;

    private final MonitoringDispatcher dispatcher = new MonitoringDispatcher(CAPACITY);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @AfterEach
    void close() {
        releaseSlow.countDown();
        dispatcher.close();
    }

    @Test
    void aSlowSinkAndAThrowingSinkNeitherBlockThePublisherNorTheOtherSinks() throws Exception {
        Recording healthy = new Recording(10);
        dispatcher.add(1, slowSink());
        dispatcher.add(2, throwingSink());
        dispatcher.add(3, healthy);

        dispatcher.sessionEvent(event(0));
        assertTrue(slowEntered.await(10, TimeUnit.SECONDS), "the slow sink took the first item and is stuck in it");
        for (int i = 1; i < 10; i++) {
            dispatcher.sessionEvent(event(i)); // returns at once although the slow sink is stuck
            // one at a time, so that the small queues of the healthy sinks never overflow
            assertTrue(healthy.received(i + 1), "the healthy sink got item " + i + ": " + healthy.details);
        }

        assertTrue(healthy.all.await(10, TimeUnit.SECONDS), "the healthy sink got every item: " + healthy.details);
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), healthy.details, "in order");
        assertEquals(9 - CAPACITY, dispatcher.dropped("slow"), "the slow sink's queue kept only the newest items");
        assertEquals(0, dispatcher.dropped("recording"));
    }

    @Test
    void aMeasurementAnotherBundleReportsReachesEverySinkLikeTheServersOwn() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        List<dev.wirehaven.api.monitor.MetricSample> samples = new CopyOnWriteArrayList<>();
        dispatcher.add(5, new MonitoringSink() {
            @Override
            public String name() {
                return "metrics";
            }

            @Override
            public void metric(dev.wirehaven.api.monitor.MetricSample sample) {
                samples.add(sample);
                got.countDown();
            }
        });
        dev.wirehaven.api.monitor.MetricSamples reporter = dispatcher;

        reporter.report(dev.wirehaven.api.monitor.MetricSample.counter(
                "api.requests", 3, "requests", java.util.Map.of("route", "authenticate"), java.time.Instant.EPOCH));

        assertTrue(got.await(10, TimeUnit.SECONDS));
        assertEquals("api.requests", samples.get(0).name());
        assertEquals(3, samples.get(0).value());
    }

    @Test
    void aThrowingSinkStillGetsTheItemsAfterItsFailure() throws Exception {
        Recording afterFailure = new Recording(3);
        dispatcher.add(7, new MonitoringSink() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public void sessionEvent(SessionEvent event) {
                if (event.detail().equals("0")) {
                    throw new IllegalStateException("disk full");
                }
                afterFailure.sessionEvent(event);
            }
        });

        for (int i = 0; i < 4; i++) {
            dispatcher.sessionEvent(event(i));
        }

        assertTrue(afterFailure.all.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("1", "2", "3"), afterFailure.details);
        assertEquals(1, dispatcher.failures("flaky"));
    }

    @Test
    void aRemovedSinkGetsNothingMore() throws Exception {
        Recording sink = new Recording(1);
        dispatcher.add(1, sink);
        dispatcher.sessionEvent(event(0));
        assertTrue(sink.all.await(10, TimeUnit.SECONDS));

        dispatcher.remove(1);
        dispatcher.sessionEvent(event(1));

        assertEquals(List.of("0"), sink.details);
    }

    private MonitoringSink slowSink() {
        return new MonitoringSink() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public void sessionEvent(SessionEvent event) {
                slowEntered.countDown();
                try {
                    releaseSlow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static MonitoringSink throwingSink() {
        return new MonitoringSink() {
            @Override
            public String name() {
                return "throwing";
            }

            @Override
            public void sessionEvent(SessionEvent event) {
                throw new IllegalStateException("always");
            }
        };
    }

    private static SessionEvent event(int n) {
        return new SessionEvent("s1", "alice", SessionPhase.ACTIVE, Instant.EPOCH, Integer.toString(n));
    }

    private static final class Recording implements MonitoringSink {
        final List<String> details = new CopyOnWriteArrayList<>();
        final CountDownLatch all;

        Recording(int expected) {
            all = new CountDownLatch(expected);
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public synchronized void sessionEvent(SessionEvent event) {
            details.add(event.detail());
            all.countDown();
            notifyAll();
        }

        /** Waits until {@code n} items arrived; false after a generous deadline (a lost item, not a slow one). */
        synchronized boolean received(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (details.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
