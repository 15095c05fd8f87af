package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials are checked outside every session lock and through a bounded queue: a login whose
 * provider hangs (a {@link TestProviders.Blocking} provider, released by the test) stalls nobody
 * else, and logins beyond the running and queued checks are refused BUSY at once.
 */
class CredentialCheckTest {

    private final ExecutorService logins = Executors.newCachedThreadPool();
    private FlowFixture fx;
    private TestProviders.Blocking slow;

    @AfterEach
    void close() throws Exception {
        if (slow != null) {
            slow.release.countDown();
        }
        logins.shutdownNow();
        fx.close();
    }

    @Test
    void aSlowLoginDoesNotDelayAnotherSessionsStatusReport() throws Exception {
        fx = new FlowFixture(
                Map.of("request.burst", "100000", "pending.max.source", "100000", "pending.max", "100000"));
        FlowFixture.Client other = fx.configured("alice", "correct horse", "laptop");
        // the locks are striped: the slow login gets a session that shares the other one's stripe
        ReentrantLock otherLock = fx.runtime.locks().of(other.sessionId());
        String slowId = sessionSharing(otherLock);
        slowProvider();

        Future<SessionGrant> login = logins.submit(() -> fx.authenticate(slowId, "slow", "pw"));
        assertTrue(slow.waiting.await(30, TimeUnit.SECONDS), "the slow login reached its provider");

        assertFalse(otherLock.isLocked(), "a login holds no session lock while its credentials are checked");
        SessionStatus status = fx.flow().report(other.sessionId(), other.token(), new StatusReport(1, 2, -1, -1));
        assertEquals(SessionPhase.CONFIGURED, status.phase());

        slow.release.countDown();
        assertEquals(slowId, login.get(30, TimeUnit.SECONDS).sessionId());
        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(slowId).phase());
        assertEquals("slow", fx.stored(slowId).user());
    }

    @Test
    void aFullVerificationQueueAnswersBusyWithRetryAfter() throws Exception {
        fx = new FlowFixture(Map.of("auth.verify.concurrent", "1", "auth.verify.queue", "0"));
        String slowId = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        String otherId = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        BoundPlugin<AuthProvider> bound = slowProvider();
        Future<SessionGrant> login = logins.submit(() -> fx.authenticate(slowId, "slow", "pw"));
        assertTrue(slow.waiting.await(30, TimeUnit.SECONDS), "the slow login reached its provider");

        FlowException busy = refused(FlowFailure.BUSY, () -> fx.authenticate(otherId, "alice", "correct horse"));

        assertEquals(VerificationGate.RETRY_AFTER, busy.retryAfter());
        assertEquals(SessionPhase.CHALLENGED, fx.stored(otherId).phase());
        assertTrue(
                fx.recentEvents(50).stream().noneMatch(e -> e.kind().equals(SecurityEvent.AUTH_FAILURE)),
                "a refusal for lack of room is not a failed login");
        slow.release.countDown();
        login.get(30, TimeUnit.SECONDS);
        fx.providers.remove(bound);
        assertEquals(otherId, fx.authenticate(otherId, "alice", "correct horse").sessionId(), "room again");
    }

    @Test
    void aSessionThatEndedWhileItsCredentialsWereCheckedIsNotAuthenticated() throws Exception {
        fx = new FlowFixture();
        String slowId = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        slowProvider();
        Future<SessionGrant> login = logins.submit(() -> fx.authenticate(slowId, "slow", "pw"));
        assertTrue(slow.waiting.await(30, TimeUnit.SECONDS), "the slow login reached its provider");

        fx.runtime.admin().revoke(slowId, "the operator");
        slow.release.countDown();

        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> login.get(30, TimeUnit.SECONDS));
        assertEquals(
                FlowFailure.OUT_OF_ORDER,
                ((FlowException) e.getCause()).failure(),
                e.getCause().getMessage());
        assertEquals(SessionPhase.DISCONNECTED, fx.stored(slowId).phase());
        assertEquals(null, fx.stored(slowId).tokenHash(), "no token was issued");
    }

    private BoundPlugin<AuthProvider> slowProvider() {
        slow = new TestProviders.Blocking();
        BoundPlugin<AuthProvider> bound = TestProviders.bound(slow, 100);
        fx.providers.add(0, bound);
        return bound;
    }

    /** A new challenged session whose lock is {@code lock}. */
    private String sessionSharing(ReentrantLock lock) throws FlowException {
        for (int i = 0; i < 10_000; i++) {
            String id = fx.requestFrom(FlowFixture.SOURCE).sessionId();
            if (fx.runtime.locks().of(id) == lock) {
                return id;
            }
        }
        throw new AssertionError("no session id fell on the same lock stripe in 10000 tries");
    }
}
