package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.Keys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReaperTest {

    private final FlowFixture fx;

    ReaperTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void anActiveSessionWithoutAHandshakeForTheIdleTimeoutIsCleanedUpLikeADisconnect() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c).close();
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.ACTIVE, fx.stored(c.sessionId()).phase());

        fx.clock.advance(Duration.ofMinutes(14));
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.ACTIVE, fx.stored(c.sessionId()).phase(), "not idle for 15 minutes yet");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(
                fx.stored(c.sessionId()).closeReason().startsWith("idle"),
                fx.stored(c.sessionId()).closeReason());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
        fx.sink.await(
                fx.sink.sessionEvents, e -> e.sessionId().equals(c.sessionId()) && e.phase() == SessionPhase.EXPIRED);
    }

    @Test
    void aSessionPastItsLifetimeExpiresEvenWhileActive() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        fx.handshake(c);
        fx.runtime.reaper().sweep();

        fx.clock.advance(Duration.ofHours(12));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
    }

    @Test
    void anUnansweredChallengeExpires() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(challenge.sessionId()).phase());
        assertTrue(fx.eventKinds(challenge.sessionId()).contains("session.expired"));
    }

    @Test
    void aConfiguredSessionWithoutAHandshakeWithinTheSetupTimeoutExpires() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        fx.clock.advance(Duration.ofMinutes(1));
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.CONFIGURED, fx.stored(c.sessionId()).phase());

        fx.clock.advance(Duration.ofMinutes(1));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.peer(c.publicKey()).isEmpty());
    }

    @Test
    void anAuthenticatedSessionThatNeverConfiguresExpiresAfterTheSetupTimeout() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        SessionGrant grant = fx.authenticate(challenge.sessionId(), "alice", "correct horse");
        fx.flow().serverConfig(grant.sessionId(), grant.token(), "vpn.example.com");

        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        assertEquals(SessionPhase.EXPIRED, fx.stored(grant.sessionId()).phase());
        assertNotNull(fx.lease("10.8.0.2").orElseThrow().releasedAt());
    }

    @Test
    void anEndedSessionsRowIsDeletedOnceTheSessionRetentionHasPassed() throws Exception {
        AuthChallenge challenge = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();
        assertEquals(SessionPhase.EXPIRED, fx.stored(challenge.sessionId()).phase());

        fx.clock.advance(Duration.ofDays(7).minusSeconds(1));
        fx.runtime.reaper().sweep();
        assertTrue(sessions().find(challenge.sessionId()).isPresent(), "kept for 7 days by default");

        fx.clock.advance(Duration.ofSeconds(2));
        fx.runtime.reaper().sweep();
        assertTrue(sessions().find(challenge.sessionId()).isEmpty());
        assertEquals(3, fx.eventKinds(challenge.sessionId()).size(), "its steps stay in the event log for longer");
    }

    @Test
    void theEventLogIsPrunedOnceItsRetentionHasPassed() throws Exception {
        fx.reconfigure(Map.of("eventlog.retention", "10d", "session.retention", "1d"));
        AuthChallenge old = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();
        fx.clock.advance(Duration.ofDays(5));
        AuthChallenge recent = fx.request(Keys.publicFrom(Keys.generatePrivate()), "phone");
        fx.runtime.reaper().sweep();
        assertTrue(sessions().find(old.sessionId()).isEmpty(), "ended more than a day ago");
        assertEquals(
                List.of("session.requested", "session.challenged", "session.expired"),
                fx.eventKinds(old.sessionId()),
                "its steps are younger than 10 days");
        fx.clock.advance(Duration.ofMinutes(2));
        fx.runtime.reaper().sweep();

        fx.clock.advance(Duration.ofDays(5));
        fx.runtime.reaper().sweep();

        assertEquals(List.of(), fx.eventKinds(old.sessionId()), "older than 10 days");
        assertEquals(
                List.of("session.requested", "session.challenged", "session.expired"),
                fx.eventKinds(recent.sessionId()));
    }

    @Test
    void aLongNeglectedEventLogIsPrunedInBatchesOverSeveralSweeps() throws Exception {
        int backlog = Reaper.PRUNE_BATCH * Reaper.PRUNE_BATCHES + 7;
        Instant old = fx.clock.instant().minus(Duration.ofDays(31));
        try (Connection c = fx.db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO event_log (occurred_at, kind, detail) VALUES (?, 'test.old', 'd')")) {
            for (int i = 0; i < backlog; i++) {
                ps.setObject(1, old.atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }

        fx.runtime.reaper().sweep();
        assertEquals(7, countOldEntries(), "one sweep deletes at most " + Reaper.PRUNE_BATCHES + " batches");

        fx.runtime.reaper().sweep();
        assertEquals(0, countOldEntries());
    }

    private SessionRepository sessions() {
        return new SessionRepository(fx.db.dataSource());
    }

    private int countOldEntries() throws Exception {
        try (Connection c = fx.db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM event_log WHERE kind = 'test.old'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
