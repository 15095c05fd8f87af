package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every step of the flow does before its own work: find the session, check its token, its
 * lifetime and its phase, and run under the session's lock; and after it: save the next phase only
 * if nobody changed the session meanwhile. A broken store becomes the 503 that the control API
 * documents, with the cause in the log only.
 */
final class SessionAccess {

    /** The phases in which a session holds a token. */
    static final Set<SessionPhase> AFTER_AUTH =
            EnumSet.of(SessionPhase.AUTHENTICATED, SessionPhase.CONFIGURED, SessionPhase.ACTIVE);
    /** The phases in which a session's peer is on the device. */
    static final Set<SessionPhase> AFTER_CONFIG = EnumSet.of(SessionPhase.CONFIGURED, SessionPhase.ACTIVE);

    private static final Logger LOG = LoggerFactory.getLogger(SessionAccess.class);

    /** A step's body; may refuse with a FlowException. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws FlowException;
    }

    private final SessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final SessionLocks locks;
    private final Clock clock;

    SessionAccess(SessionRepository sessions, SessionLifecycle lifecycle, SessionLocks locks, Clock clock) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** Runs {@code step} under the session's lock. */
    <T> T locked(String sessionId, Step<T> step) throws FlowException {
        ReentrantLock lock = locks.of(sessionId);
        lock.lock();
        try {
            return guarded(step);
        } finally {
            lock.unlock();
        }
    }

    /** The session's lock, for the callers that are not a client's step (an operator's revoke). */
    ReentrantLock lockOf(String sessionId) {
        return locks.of(sessionId);
    }

    /**
     * When a client may try again after the store failed a step: long enough not to hammer a database
     * that is restarting or failing over, short enough that logins resume soon after it is back.
     */
    static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * Turns a broken store into the 503 with {@code Retry-After} that the control API documents, with
     * the cause in the log only.
     */
    static <T> T guarded(Step<T> step) throws FlowException {
        try {
            return step.run();
        } catch (StoreException e) {
            LOG.error("Session step failed: {}", e.getMessage());
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "The server's session store is not available now; try again later",
                    List.of(),
                    STORE_RETRY_AFTER);
        }
    }

    SessionRecord find(String sessionId) throws FlowException {
        return sessions.find(sessionId)
                .orElseThrow(() -> new FlowException(
                        FlowFailure.NOT_FOUND,
                        "No session " + FlowErrors.printable(sessionId)
                                + " (it never existed, or ended long ago); start with" + " a new connection request"));
    }

    /**
     * The session, if the token is its token, it is open and not expired, and in one of {@code phases}.
     * Once a token exists it is checked before anything about the session is revealed; before, the
     * phase is all there is to say (the session id itself is unguessable).
     */
    SessionRecord authorized(String sessionId, String token, Set<SessionPhase> phases, String step)
            throws FlowException {
        SessionRecord s = find(sessionId);
        if (s.tokenHash() == null && s.phase() == SessionPhase.EXPIRED) {
            throw FlowErrors.expired();
        }
        if (s.tokenHash() == null && s.isOpen()) {
            // no token exists yet, so none can be checked: the client is a step early
            throw FlowErrors.outOfOrder(s, step);
        }
        if (!SessionTokens.matches(token, s.tokenHash())) {
            throw new FlowException(
                    FlowFailure.UNAUTHORIZED,
                    "The token is not valid for this session; authenticate" + " again with a new connection request");
        }
        if (s.phase() == SessionPhase.EXPIRED) {
            throw FlowErrors.expired();
        }
        if (s.phase() == SessionPhase.DISCONNECTED) {
            throw new FlowException(
                    FlowFailure.UNAUTHORIZED,
                    "The session was closed and its token revoked;" + " start again with a new connection request");
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            lifecycle.close(s, SessionPhase.EXPIRED, "the session lifetime ended without re-authentication");
            throw FlowErrors.expired();
        }
        if (!phases.contains(s.phase())) {
            throw FlowErrors.outOfOrder(s, step);
        }
        return s;
    }

    /** Saves {@code next} if the session is still in the phase it was {@code read} in. */
    void save(SessionRecord next, SessionRecord read) throws FlowException {
        if (!sessions.save(next, read.phase())) {
            throw FlowErrors.changedMeanwhile(read);
        }
    }
}
