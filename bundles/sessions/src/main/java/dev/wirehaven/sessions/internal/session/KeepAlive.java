package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Step 9 and 10 of the flow, for as long as a session lasts: status and keep-alive reports (the
 * client's metrics), policy updates pushed to the client and acknowledged, and the end of the
 * session, by the client's disconnect or an operator's revoke.
 */
final class KeepAlive {

    /** The longest a policy poll may wait, as the control API documents. */
    static final Duration MAX_POLICY_WAIT = Duration.ofSeconds(60);

    private final Supplier<SessionSettings> settings;
    private final SessionAccess access;
    private final SessionRepository sessions;
    private final PeerTable table;
    private final PolicyWatch policy;
    private final SessionLifecycle lifecycle;
    private final FlowEvents events;

    /** The other nodes a client may move to, as of now: every policy answer carries the current list. */
    private final Function<String, List<Gateway>> gateways;

    KeepAlive(
            Supplier<SessionSettings> settings,
            SessionAccess access,
            SessionRepository sessions,
            PeerTable table,
            PolicyWatch policy,
            SessionLifecycle lifecycle,
            FlowEvents events,
            Function<String, List<Gateway>> gateways) {
        this.gateways = gateways;
        this.settings = settings;
        this.access = access;
        this.sessions = sessions;
        this.table = table;
        this.policy = policy;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    SessionStatus status(String sessionId, String token) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "ask for its status");
            if (s.phase() == SessionPhase.CONFIGURED) {
                // a client waiting for ACTIVE learns it at its next poll, not at the reaper's next sweep
                Map<String, PeerSnapshot> device = table.fresh();
                return SessionViews.status(lifecycle.observe(s, device.get(s.clientPublicKey())), device);
            }
            return SessionViews.status(s, table.recent());
        });
    }

    SessionStatus report(String sessionId, String token, StatusReport report) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "report its status");
            Map<String, String> tags = Map.of("session", s.id(), "user", s.user(), "interface", table.interfaceName());
            events.counter("wirehaven.client.rx.bytes", report.rxBytes(), "By", tags);
            events.counter("wirehaven.client.tx.bytes", report.txBytes(), "By", tags);
            if (report.handshakeAgeSeconds() >= 0) {
                events.gauge("wirehaven.client.handshake.age", report.handshakeAgeSeconds(), "s", tags);
            }
            if (report.latencyMillis() >= 0) {
                events.gauge("wirehaven.client.latency", report.latencyMillis(), "ms", tags);
            }
            return SessionViews.status(s, table.recent());
        });
    }

    CompletionStage<Optional<PolicyUpdate>> policyAfter(
            String sessionId, String token, long afterVersion, Duration wait) throws FlowException {
        if (afterVersion < 0) {
            throw FlowErrors.invalid("after is negative");
        }
        access.locked(
                sessionId, () -> access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "poll for a policy"));
        Duration bounded = wait == null || wait.isNegative()
                ? Duration.ZERO
                : wait.compareTo(MAX_POLICY_WAIT) > 0 ? MAX_POLICY_WAIT : wait;
        return policy.after(sessionId, afterVersion, bounded);
    }

    void acknowledgePolicy(String sessionId, String token, PolicyAck ack) throws FlowException {
        access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "acknowledge a policy");
            if (ack.version() > s.policyVersion()) {
                throw FlowErrors.invalid(
                        "version " + ack.version() + " was never sent; the newest is " + s.policyVersion());
            }
            if (ack.applied()) {
                sessions.acknowledgePolicy(s.id(), ack.version());
            }
            events.step(
                    s,
                    s.phase(),
                    ack.applied()
                            ? "policy version " + ack.version() + " applied"
                            : "policy version " + ack.version() + " not applied: "
                                    + FlowErrors.printable(ack.detail()));
            return null;
        });
    }

    SessionStatus disconnect(String sessionId, String token) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.find(sessionId);
            if (s.phase() == SessionPhase.DISCONNECTED && SessionTokens.matches(token, s.tokenHash())) {
                // a client that repeats its disconnect (the first answer was lost) learns it is done
                return SessionViews.status(s, Map.of());
            }
            s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "disconnect");
            return SessionViews.status(
                    lifecycle.close(s, SessionPhase.DISCONNECTED, "disconnected by the client"), Map.of());
        });
    }

    /** Ends an open session for an operator; empty when there is none with that id. */
    Optional<SessionRecord> revoke(String sessionId, String by) {
        ReentrantLock lock = access.lockOf(sessionId);
        lock.lock();
        try {
            Optional<SessionRecord> s = sessions.find(sessionId).filter(SessionRecord::isOpen);
            s.ifPresent(open -> lifecycle.close(open, SessionPhase.DISCONNECTED, "revoked by " + by));
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** True when the session is open and authenticated (a step-up can be asked of it). */
    boolean isLive(String sessionId) {
        return sessions.find(sessionId)
                .filter(SessionRecord::isOpen)
                .filter(s -> SessionAccess.AFTER_AUTH.contains(s.phase()))
                .isPresent();
    }

    /** The newest policy of a session as the client applies it, or empty when the session has ended. */
    Optional<PolicyUpdate> currentPolicy(String sessionId) {
        Optional<SessionRecord> s = sessions.find(sessionId).filter(SessionRecord::isOpen);
        if (s.isEmpty() || !SessionAccess.AFTER_AUTH.contains(s.get().phase())) {
            return Optional.empty();
        }
        SessionSettings c = settings.get();
        return Optional.of(new PolicyUpdate(
                s.get().policyVersion(),
                FlowErrors.texts(c.routes()),
                c.dns(),
                c.keepalive(),
                s.get().expiresAt(),
                gateways.apply(sessionId)));
    }
}
