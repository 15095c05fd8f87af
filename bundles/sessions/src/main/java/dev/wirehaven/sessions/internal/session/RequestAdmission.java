package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.internal.monitor.LogThrottle;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a connection request may make a session at all. It is the one step that anyone may send
 * without a session, and every one writes a row: requests are limited per source (an IPv4 address,
 * an IPv6 /64) by a token bucket, and by the sessions that still wait for authentication, per source
 * and in all.
 */
final class RequestAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(RequestAdmission.class);

    /** Makes a session waiting for authentication; given the time it is made at. */
    @FunctionalInterface
    interface NewPending {
        SessionRecord insert(Instant now) throws FlowException;
    }

    private final ConnectionRequestLimiter rate;
    private final SessionRepository sessions;
    private final Clock clock;
    /** Serialises the count and the insert of the connection requests of one source. */
    private final SessionLocks sourceLocks = new SessionLocks();
    /** A flood meets {@code pending.max} at every request: one log line a minute says so. */
    private final LogThrottle pendingFullLog = new LogThrottle(1, TimeUnit.MINUTES);

    RequestAdmission(ConnectionRequestLimiter rate, SessionRepository sessions, Clock clock) {
        this.rate = rate;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Takes one request of the source's bucket, or refuses with RATE_LIMITED and when to come back. */
    void takeRequest(String sourceKey, RequestLimits limits) throws FlowException {
        if (sourceKey == null) {
            return;
        }
        Optional<Duration> wait = rate.acquire(sourceKey, clock.instant(), limits);
        if (wait.isPresent()) {
            throw FlowException.rateLimited("Too many connection requests from " + sourceKey, wait.get());
        }
    }

    /**
     * Runs {@code insert} if one more session may wait for authentication: fewer than
     * {@code pending.max.source} of the source (else RATE_LIMITED) and {@code pending.max} of all
     * (else BUSY), each answered with the time until the first of those challenges lapses. The count
     * and the insert of one source are serialised; those of different sources are not, so the total
     * may pass its limit by the few requests that are counted at the same moment.
     */
    SessionRecord admitPending(String sourceKey, RequestLimits limits, NewPending insert) throws FlowException {
        ReentrantLock lock = sourceKey == null ? null : sourceLocks.of(sourceKey);
        if (lock != null) {
            lock.lock();
        }
        try {
            Instant now = clock.instant();
            if (sourceKey != null) {
                SessionRepository.Pending fromSource = sessions.pendingFrom(sourceKey, now);
                if (fromSource.count() >= limits.maxPendingPerSource()) {
                    throw FlowException.rateLimited(
                            fromSource.count() + " connection requests from " + sourceKey
                                    + " wait for authentication already; answer their challenges",
                            untilLapse(fromSource, now));
                }
            }
            SessionRepository.Pending all = sessions.pending(now);
            if (all.count() >= limits.maxPending()) {
                long heldBack = pendingFullLog.permit();
                if (heldBack >= 0) {
                    LOG.warn(
                            "Connection requests refused: {} sessions wait for authentication, the limit pending.max"
                                    + " of {}; the latest from {} ({} more refusals since the last such line)",
                            all.count(),
                            limits.maxPending(),
                            sourceKey == null ? "an unknown source" : sourceKey,
                            heldBack);
                }
                throw FlowException.busy(
                        "The server has as many connection requests waiting for authentication as" + " it takes",
                        untilLapse(all, now));
            }
            return insert.insert(now);
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /** When the first of the pending challenges lapses and frees a place; at least a second. */
    private static Duration untilLapse(SessionRepository.Pending pending, Instant now) {
        Duration d = pending.firstLapse() == null ? Duration.ZERO : Duration.between(now, pending.firstLapse());
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }
}
