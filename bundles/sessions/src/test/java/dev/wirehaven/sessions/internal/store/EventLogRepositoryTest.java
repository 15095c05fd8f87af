package dev.wirehaven.sessions.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.TestDatabase;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class EventLogRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final TestDatabase db;
    private final EventLogRepository log;

    EventLogRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, SessionSchema.TRACK);
        log = new EventLogRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void appendsSessionStepsAndReadsThemBackInOrder() {
        EventEntry first =
                log.append(EventEntry.of(new SessionEvent("s1", "alice", SessionPhase.REQUESTED, T0, "laptop")));
        EventEntry second = log.append(EventEntry.of(
                new SessionEvent("s1", "alice", SessionPhase.AUTHENTICATED, T0.plusSeconds(1), "password")));
        log.append(EventEntry.of(new SessionEvent("s2", "bob", SessionPhase.REQUESTED, T0.plusSeconds(2), "phone")));

        assertTrue(second.id() > first.id());
        List<EventEntry> s1 = log.ofSession("s1");
        assertEquals(List.of(first, second), s1);
        assertEquals("session.requested", s1.get(0).kind());
        assertEquals(T0, s1.get(0).occurredAt());
    }

    @Test
    void recentReturnsTheNewestFirst() {
        for (int i = 0; i < 5; i++) {
            log.append(new EventEntry(EventEntry.UNSAVED, T0.plusSeconds(i), "k" + i, null, null, null, null, "d"));
        }
        assertEquals(
                List.of("k4", "k3"),
                log.recent(2).stream().map(EventEntry::kind).toList());
        assertThrows(IllegalArgumentException.class, () -> log.recent(0));
    }

    @Test
    void keepsTheSeverityAndSourceOfASecurityEvent() throws Exception {
        SecurityEvent failure = new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.values()[Severity.values().length - 1],
                T0,
                "mallory",
                InetAddress.getByName("192.0.2.7"),
                "wrong password");
        EventEntry stored = log.append(EventEntry.of(failure));
        EventEntry read = log.recent(1).get(0);
        assertEquals(stored, read);
        assertEquals("192.0.2.7", read.source());
        assertEquals(failure.severity().name(), read.severity());
    }

    @Test
    void cutsAnOverlongDetailInsteadOfLosingTheEvent() {
        EventEntry stored =
                log.append(new EventEntry(EventEntry.UNSAVED, T0, "k", null, null, null, null, "x".repeat(5000)));
        assertEquals(EventEntry.MAX_DETAIL, log.recent(1).get(0).detail().length());
        assertEquals(stored.detail(), log.recent(1).get(0).detail());
    }

    @Test
    void deletesEntriesOlderThanTheCutoff() {
        log.append(new EventEntry(EventEntry.UNSAVED, T0, "old", null, null, null, null, "d"));
        log.append(new EventEntry(EventEntry.UNSAVED, T0.plusSeconds(3600), "new", null, null, null, null, "d"));
        assertEquals(1, log.deleteBefore(T0.plusSeconds(60)));
        assertEquals(
                List.of("new"), log.recent(10).stream().map(EventEntry::kind).toList());
    }

    @Test
    void deletesOldEntriesInBatchesOldestFirst() {
        for (int i = 0; i < 5; i++) {
            log.append(new EventEntry(EventEntry.UNSAVED, T0.plusSeconds(i), "old" + i, null, null, null, null, "d"));
        }
        log.append(new EventEntry(EventEntry.UNSAVED, T0.plusSeconds(3600), "new", null, null, null, null, "d"));

        assertEquals(2, log.deleteBefore(T0.plusSeconds(60), 2));
        assertEquals(
                List.of("new", "old4", "old3", "old2"),
                log.recent(10).stream().map(EventEntry::kind).toList());
        assertEquals(2, log.deleteBefore(T0.plusSeconds(60), 2));
        assertEquals(1, log.deleteBefore(T0.plusSeconds(60), 2));
        assertEquals(0, log.deleteBefore(T0.plusSeconds(60), 2));
        assertEquals(
                List.of("new"), log.recent(10).stream().map(EventEntry::kind).toList());
    }
}
