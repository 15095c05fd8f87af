package dev.wirehaven.sessions.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class SessionRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    private final TestDatabase db;
    private final SessionRepository sessions;

    SessionRepositoryTest(TestDatabase.Engine engine) {
        db = TestDatabase.migrated(engine, SessionSchema.TRACK);
        sessions = new SessionRepository(db.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private SessionRecord challenged(String id) {
        return SessionRecord.challenged(
                id, KEY, "laptop", "198.51.100.7", "10.8.0.9", T0, T0.plusSeconds(120), List.of("password", "totp"));
    }

    @Test
    void aSessionWithoutUserOrTokenIsStoredAndReadBack() {
        sessions.insert(challenged("s1"));

        SessionRecord read = sessions.find("s1").orElseThrow();

        assertEquals(challenged("s1"), read);
        assertEquals(null, read.user());
    }

    @Test
    void everyStepRoundTripsWithItsIdentityAddressesAndSubnets() {
        sessions.insert(challenged("s1"));
        Identity alice = new Identity("alice", Set.of("staff", "ops"), Map.of("mail", "alice@example.com, \"quoted\""));
        SessionRecord authenticated =
                challenged("s1").authenticated("ab".repeat(32), alice, KEY, T0.plusSeconds(5), T0.plusSeconds(3600));
        assertTrue(sessions.save(authenticated, SessionPhase.CHALLENGED));
        SessionRecord configured = authenticated
                .withAddresses(new TunnelAddresses("10.8.0.2", "10.8.0.0/24", "fd00:8:0:0:0:0:0:2", "fd00:8::/64"))
                .configured(List.of("192.168.10.0/24", "192.168.11.0/24"), T0.plusSeconds(6));
        assertTrue(sessions.save(configured, SessionPhase.AUTHENTICATED));

        assertEquals(configured, sessions.find("s1").orElseThrow());
        assertEquals(List.of(configured), sessions.openWithKey(KEY));
        assertEquals(List.of(configured), sessions.openOf("alice"));
    }

    @Test
    void aTokenHashBelongsToOneSessionOnly() {
        sessions.insert(challenged("s1"));
        sessions.insert(challenged("s2"));
        String hash = "ef".repeat(32);
        assertTrue(
                sessions.save(
                        challenged("s1").authenticated(hash, Identity.of("alice"), KEY, T0, T0.plusSeconds(3600)),
                        SessionPhase.CHALLENGED),
                "sessions without a token yet do not collide");

        SessionRecord clash = challenged("s2").authenticated(hash, Identity.of("bob"), KEY, T0, T0.plusSeconds(3600));
        assertThrows(StoreException.class, () -> sessions.save(clash, SessionPhase.CHALLENGED));

        assertEquals(SessionPhase.CHALLENGED, sessions.find("s2").orElseThrow().phase());
        assertEquals("alice", sessions.find("s1").orElseThrow().user());
    }

    @Test
    void aSaveFromAStalePhaseChangesNothing() {
        sessions.insert(challenged("s1"));
        SessionRecord closed = challenged("s1").closed(SessionPhase.EXPIRED, T0.plusSeconds(200), "lapsed");
        assertTrue(sessions.save(closed, SessionPhase.CHALLENGED));

        SessionRecord late = challenged("s1").authenticated("cd".repeat(32), Identity.of("alice"), KEY, T0, T0);
        assertFalse(sessions.save(late, SessionPhase.CHALLENGED));

        assertEquals(SessionPhase.EXPIRED, sessions.find("s1").orElseThrow().phase());
        assertTrue(sessions.open().isEmpty());
    }

    @Test
    void aPolicyBumpReachesOnlyOpenSessionsAndSurvivesAStepSavedFromAnOlderRead() {
        sessions.insert(challenged("s1"));
        sessions.insert(challenged("s2"));
        sessions.save(challenged("s2").closed(SessionPhase.DISCONNECTED, T0, "bye"), SessionPhase.CHALLENGED);
        SessionRecord readBefore = sessions.find("s1").orElseThrow();

        assertEquals(1, sessions.bumpPolicyVersions());
        sessions.save(
                readBefore.withFactor(Identity.of("carol"), List.of("totp"), List.of("password"), T0),
                SessionPhase.CHALLENGED);

        assertEquals(2, sessions.find("s1").orElseThrow().policyVersion());
        assertEquals(1, sessions.find("s2").orElseThrow().policyVersion());
    }

    @Test
    void anAcknowledgementOnlyMovesForwardAndOnlyToIssuedVersions() {
        sessions.insert(challenged("s1"));

        assertFalse(sessions.acknowledgePolicy("s1", 2), "version 2 was never issued");
        assertTrue(sessions.acknowledgePolicy("s1", 1));
        assertFalse(sessions.acknowledgePolicy("s1", 1));
        assertEquals(1, sessions.find("s1").orElseThrow().policyAckedVersion());
    }

    @Test
    void endedSessionsAreForgottenAfterTheCutoff() {
        sessions.insert(challenged("s1"));
        sessions.insert(challenged("s2"));
        sessions.save(challenged("s1").closed(SessionPhase.DISCONNECTED, T0, "bye"), SessionPhase.CHALLENGED);

        assertEquals(1, sessions.deleteClosedBefore(T0.plusSeconds(1)));

        assertTrue(sessions.find("s1").isEmpty());
        assertTrue(sessions.find("s2").isPresent());
    }

    @Test
    void endedSessionsAreForgottenInBatchesOldestFirst() {
        for (int i = 1; i <= 5; i++) {
            sessions.insert(challenged("s" + i));
            sessions.save(
                    challenged("s" + i).closed(SessionPhase.EXPIRED, T0.plusSeconds(i), "lapsed"),
                    SessionPhase.CHALLENGED);
        }
        sessions.insert(challenged("open"));

        assertEquals(2, sessions.deleteClosedBefore(T0.plusSeconds(60), 2));
        assertTrue(sessions.find("s1").isEmpty());
        assertTrue(sessions.find("s2").isEmpty());
        assertTrue(sessions.find("s3").isPresent(), "the oldest go first");
        assertEquals(
                3,
                sessions.deleteClosedBefore(T0.plusSeconds(60), 2)
                        + sessions.deleteClosedBefore(T0.plusSeconds(60), 2));
        assertEquals(0, sessions.deleteClosedBefore(T0.plusSeconds(60), 2));
        assertTrue(sessions.find("open").isPresent());
    }

    @Test
    void sessionsWaitingForAuthenticationAreCountedInAllAndPerSourceUntilTheirChallengeLapses() {
        sessions.insert(challenged("a1"), "2001:db8:1:2::/64");
        sessions.insert(
                SessionRecord.challenged(
                        "a2",
                        KEY,
                        "phone",
                        "2001:db8:1:2::9",
                        null,
                        T0.plusSeconds(10),
                        T0.plusSeconds(130),
                        List.of("password")),
                "2001:db8:1:2::/64");
        sessions.insert(challenged("b1"), "198.51.100.7");
        sessions.insert(challenged("done"), "198.51.100.7");
        sessions.save(
                challenged("done")
                        .authenticated(
                                "cd".repeat(32), Identity.of("alice"), KEY, T0.plusSeconds(1), T0.plusSeconds(3600)),
                SessionPhase.CHALLENGED);
        sessions.insert(challenged("closed"), "198.51.100.7");
        sessions.save(challenged("closed").closed(SessionPhase.DISCONNECTED, T0, "bye"), SessionPhase.CHALLENGED);

        assertEquals(new SessionRepository.Pending(3, T0.plusSeconds(120)), sessions.pending(T0.plusSeconds(20)));
        assertEquals(
                new SessionRepository.Pending(2, T0.plusSeconds(120)),
                sessions.pendingFrom("2001:db8:1:2::/64", T0.plusSeconds(20)));
        assertEquals(
                new SessionRepository.Pending(1, T0.plusSeconds(120)),
                sessions.pendingFrom("198.51.100.7", T0.plusSeconds(20)));
        assertEquals(new SessionRepository.Pending(0, null), sessions.pendingFrom("203.0.113.1", T0));
        // a lapsed challenge takes no place, even before the reaper has closed it
        assertEquals(new SessionRepository.Pending(1, T0.plusSeconds(130)), sessions.pending(T0.plusSeconds(120)));
    }
}
