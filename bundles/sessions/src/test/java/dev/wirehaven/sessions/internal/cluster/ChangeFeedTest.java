package dev.wirehaven.sessions.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.MutableClock;
import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.ClusterChange;
import dev.wirehaven.sessions.internal.store.SessionSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class ChangeFeedTest {

    private final TestDatabase.Engine engine;
    private final TestDatabase db;
    private final ChangeRepository log;
    private final MutableClock clock = new MutableClock();
    private final List<ClusterChange> applied = new ArrayList<>();
    private final AtomicInteger fullRuns = new AtomicInteger();

    ChangeFeedTest(TestDatabase.Engine engine) {
        this.engine = engine;
        this.db = TestDatabase.migrated(engine, SessionSchema.TRACK);
        this.log = new ChangeRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private ChangeFeed feed(String self, ChangeWakeups wakeups) {
        return new ChangeFeed(
                log, self, wakeups, applied::add, fullRuns::incrementAndGet, Duration.ofSeconds(30), clock);
    }

    private void append(String node, String session) {
        log.append(node, ClusterChange.Kind.PEER, session, null, clock.instant());
    }

    @Test
    void appliesTheOtherNodesChangesInOrderAndSkipsItsOwn() {
        ChangeFeed feed = feed("a", new PollingWakeups());
        feed.begin();
        append("b", "s1");
        append("a", "s2");
        append("c", "s3");

        assertEquals(2, feed.readOnce());

        assertEquals(
                List.of("s1", "s3"),
                applied.stream().map(ClusterChange::sessionId).toList());
    }

    @Test
    void readingAgainAppliesNothingTwice() {
        ChangeFeed feed = feed("a", new PollingWakeups());
        feed.begin();
        append("b", "s1");
        feed.readOnce();
        append("b", "s2");

        assertEquals(1, feed.readOnce());
        assertEquals(0, feed.readOnce());
        assertEquals(
                List.of("s1", "s2"),
                applied.stream().map(ClusterChange::sessionId).toList());
    }

    @Test
    void readsMoreThanOneBatch() {
        ChangeFeed feed = feed("a", new PollingWakeups());
        feed.begin();
        for (int i = 0; i < ChangeFeed.BATCH + 10; i++) {
            append("b", "s" + i);
        }

        assertEquals(ChangeFeed.BATCH + 10, feed.readOnce());
    }

    @Test
    void reconcilesEverythingOncePerInterval() {
        ChangeFeed feed = feed("a", new PollingWakeups());
        feed.begin();
        feed.readOnce();
        assertEquals(0, fullRuns.get());

        clock.advance(Duration.ofSeconds(30));
        feed.readOnce();
        feed.readOnce();

        assertEquals(1, fullRuns.get());
    }

    @Test
    void refusesToReadBeforeItHasAPlaceInTheLog() {
        assertThrows(
                IllegalStateException.class,
                () -> feed("a", new PollingWakeups()).readOnce());
    }

    @Test
    void oldRowsAreDeletedAfterTheirRetention() {
        append("b", "s1");
        clock.advance(Duration.ofMinutes(11));
        append("b", "s2");

        assertEquals(1, log.deleteBefore(clock.instant().minus(Duration.ofMinutes(10)), 100));
        assertEquals(1, log.after(0, 10).size());
    }

    @Test
    void onPostgresqlACommittedChangeWakesAListeningNodeAtOnce() throws Exception {
        Assumptions.assumeTrue(engine == TestDatabase.Engine.POSTGRESQL, "notifications are PostgreSQL's");
        ChangeWakeups wakeups = ChangeWakeups.of(db.dataSource());
        assertTrue(wakeups instanceof PostgresWakeups, wakeups.getClass().getName());
        try {
            wakeups.await(Duration.ofMillis(10)); // listening from here on
            CompletableFuture<Void> woken = CompletableFuture.runAsync(() -> {
                try {
                    // far longer than the test waits below: only a notification ends it in time
                    wakeups.await(Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            append("b", "s1");
            woken.get(60, TimeUnit.SECONDS);
        } finally {
            wakeups.close();
        }
    }
}
