package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on one scheduled thread every {@code reaper.interval}: reads the device's peers once, moves
 * CONFIGURED sessions to ACTIVE at their first handshake, records later handshakes, and ends the
 * sessions whose deadline passed (see {@link SessionLifecycle#lapse}) with the same cleanup as a
 * disconnect. A session is locked and read again only when something is to be done to it, so that a
 * sweep over many idle sessions costs one read of the table.
 */
final class Reaper {

    /** How long an ended session's row is kept (its steps stay in the event log for longer). */
    static final Duration CLOSED_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final SessionRepository sessions;
    private final PeerTable table;
    private final SessionLifecycle lifecycle;
    private final SessionLocks locks;
    private final LoginThrottle throttle;
    private final Supplier<SessionSettings> settings;
    private final Clock clock;

    Reaper(SessionRepository sessions, PeerTable table, SessionLifecycle lifecycle, SessionLocks locks,
            LoginThrottle throttle, Supplier<SessionSettings> settings, Clock clock) {
        this.sessions = sessions;
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
        throttle.prune(now, settings.get().limits());
        sessions.deleteClosedBefore(now.minus(CLOSED_RETENTION));
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
        return s.phase() == SessionPhase.CONFIGURED || s.phase() == SessionPhase.ACTIVE
                && (s.lastHandshakeAt() == null || handshake.isAfter(s.lastHandshakeAt()));
    }
}
