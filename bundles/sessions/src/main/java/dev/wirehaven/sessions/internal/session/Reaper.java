package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.store.EventLogRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on one scheduled thread every {@code reaper.interval}: reads the device's peers once, moves
 * CONFIGURED sessions to ACTIVE at their first handshake, records later handshakes, and ends the
 * sessions whose deadline passed (see {@link SessionLifecycle#lapse}) with the same cleanup as a
 * disconnect. A session is locked and read again only when something is to be done to it, so that a
 * sweep over many idle sessions costs one read of the table.
 *
 * <p>Each sweep also trims what would otherwise grow for ever: the rows of sessions that ended more
 * than {@code session.retention} ago, the event log's entries older than {@code eventlog.retention},
 * and the in-memory counts of failed logins and connection requests that are quiet again. Rows go in
 * batches of {@value #PRUNE_BATCH}, each its own short statement, and at most
 * {@value #PRUNE_BATCHES} batches a sweep, so that a first sweep over a long-neglected log neither
 * holds the table nor delays the next sweep's session work; the rest goes at the following sweeps.
 */
final class Reaper {

    /** Rows deleted by one statement. */
    static final int PRUNE_BATCH = 500;
    /** Statements of each kind per sweep. */
    static final int PRUNE_BATCHES = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final SessionRepository sessions;
    private final PeerTable table;
    private final SessionLifecycle lifecycle;
    private final SessionLocks locks;
    private final LoginThrottle throttle;
    private final ConnectionRequestLimiter requests;
    private final EventLogRepository eventLog;
    private final Supplier<SessionSettings> settings;
    private final Clock clock;

    Reaper(
            SessionRepository sessions,
            EventLogRepository eventLog,
            PeerTable table,
            SessionLifecycle lifecycle,
            SessionLocks locks,
            LoginThrottle throttle,
            ConnectionRequestLimiter requests,
            Supplier<SessionSettings> settings,
            Clock clock) {
        this.sessions = sessions;
        this.eventLog = eventLog;
        this.requests = requests;
        this.table = table;
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.throttle = throttle;
        this.settings = settings;
        this.clock = clock;
    }

    /** One sweep over the open sessions. */
    void sweep() {
        Map<String, PeerSnapshot> device = table.fresh();
        Instant now = clock.instant();
        for (SessionRecord listed : sessions.open()) {
            PeerSnapshot peer = device.get(listed.clientPublicKey());
            if (!news(listed, peer) && lifecycle.lapse(listed, peer, now).isEmpty()) {
                continue;
            }
            ReentrantLock lock = locks.of(listed.id());
            lock.lock();
            try {
                Optional<SessionRecord> current = sessions.find(listed.id()).filter(SessionRecord::isOpen);
                if (current.isEmpty()) {
                    continue;
                }
                SessionRecord s = lifecycle.observe(current.get(), peer);
                Optional<String> reason = lifecycle.lapse(s, peer, now);
                if (reason.isPresent()) {
                    lifecycle.close(s, SessionPhase.EXPIRED, reason.get());
                }
            } catch (RuntimeException e) {
                LOG.warn("Reaper could not handle session {}: {}", listed.id(), e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        SessionSettings c = settings.get();
        throttle.prune(now, c.limits());
        requests.prune(now, c.requests());
        Instant endedBefore = now.minus(c.sessionRetention());
        prune("ended sessions", limit -> sessions.deleteClosedBefore(endedBefore, limit));
        Instant loggedBefore = now.minus(c.eventLogRetention());
        prune("event log entries", limit -> eventLog.deleteBefore(loggedBefore, limit));
    }

    /**
     * Runs {@code batch} until it deletes less than a whole batch, or {@value #PRUNE_BATCHES} times. A
     * store that fails is logged and tried again at the next sweep: retention never stops the sweep.
     */
    private static void prune(String what, IntUnaryOperator batch) {
        int total = 0;
        try {
            for (int i = 0; i < PRUNE_BATCHES; i++) {
                int deleted = batch.applyAsInt(PRUNE_BATCH);
                total += deleted;
                if (deleted < PRUNE_BATCH) {
                    break;
                }
            }
        } catch (StoreException e) {
            LOG.warn("Reaper could not delete {} past their retention: {}", what, e.getMessage());
        }
        if (total > 0) {
            LOG.debug("Reaper deleted {} {} past their retention", total, what);
        }
    }

    /** The sweep as a scheduled task: a failure is logged and the next run comes as planned. */
    void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Session reaper run failed: {}", e.getMessage());
        }
    }

    /** True when the device reports a handshake that the session has not recorded yet. */
    private static boolean news(SessionRecord s, PeerSnapshot peer) {
        Instant handshake = SessionLifecycle.handshakeOf(peer);
        if (handshake == null) {
            return false;
        }
        return s.phase() == SessionPhase.CONFIGURED
                || s.phase() == SessionPhase.ACTIVE
                        && (s.lastHandshakeAt() == null || handshake.isAfter(s.lastHandshakeAt()));
    }
}
