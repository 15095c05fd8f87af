package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a session without the client asking: it becomes ACTIVE when the device saw its
 * first handshake, it lapses when a deadline passes, and it ends. Ending is one cleanup whatever the
 * cause (disconnect, expiry, supersession, revocation): the peer goes off the device and out of the
 * store, the addresses are released, the session is closed, waiting policy polls are answered, and
 * the step is recorded and sent to the sinks. Callers hold the session's lock.
 */
final class SessionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);

    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final AddressLeases leases;
    private final PolicyWatch policy;
    private final FlowEvents events;
    private final Supplier<SessionSettings> settings;
    private final Clock clock;
    private final TrafficEnforcement enforcement;
    private final Accounting accounting;
    private final ClusterChanges cluster;

    SessionLifecycle(
            SessionRepository sessions,
            PeerRepository peers,
            PeerTable table,
            AddressLeases leases,
            PolicyWatch policy,
            FlowEvents events,
            Supplier<SessionSettings> settings,
            Clock clock,
            TrafficEnforcement enforcement,
            Accounting accounting,
            ClusterChanges cluster) {
        this.cluster = cluster;
        this.enforcement = enforcement;
        this.accounting = accounting;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.leases = leases;
        this.policy = policy;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Ends the session in {@code terminal}. The steps run in the order that a crash between any two
     * of them leaves something that the next start finishes (see {@link SessionRuntime}): the
     * session row is closed last.
     *
     * @return the closed session
     */
    SessionRecord close(SessionRecord s, SessionPhase terminal, String reason) {
        Optional<PeerRecord> peer = peers.ofSession(s.id());
        PeerSnapshot last = peer.isPresent() ? accounting.lastCounters(s) : null;
        if (peer.isPresent()) {
            try {
                table.remove(peer.get().publicKey(), s.id());
            } catch (ConfigException | RuntimeException e) {
                // the device may be going away itself; the store is what a restart restores from
                LOG.warn(
                        "Could not remove the peer of session {} from {}: {}",
                        s.id(),
                        table.interfaceName(),
                        e.getMessage());
            }
            peers.removeOfSession(s.id());
        }
        leases.release(s.addresses());
        SessionRecord closed = s.closed(terminal, clock.instant(), reason);
        sessions.save(closed, s.phase());
        if (peer.isPresent()) {
            cluster.peerChanged(s.id(), peer.get().publicKey()); // the other nodes take their copy off
        }
        policy.closed(s.id());
        enforcement.forget(s.id());
        accounting.ended(closed, last);
        String cleanup = peer.isPresent() ? "; peer removed from " + table.interfaceName() : "";
        cleanup += s.addresses().isEmpty() ? "" : "; addresses released";
        events.step(closed, terminal, reason + cleanup);
        return closed;
    }

    /**
     * Takes in what the device says about the session's peer: CONFIGURED becomes ACTIVE at the first
     * handshake; an ACTIVE session's last handshake is recorded as it moves on.
     *
     * @return the session as saved
     */
    SessionRecord observe(SessionRecord s, PeerSnapshot peer) {
        Instant handshake = handshakeOf(peer);
        if (handshake == null) {
            return s;
        }
        if (s.phase() == SessionPhase.CONFIGURED) {
            SessionRecord active = s.active(handshake);
            if (sessions.save(active, s.phase())) {
                sessions.servedHere(s.id());
                events.step(
                        active,
                        SessionPhase.ACTIVE,
                        "first handshake completed"
                                + (peer.endpoint() == null
                                        ? ""
                                        : " from "
                                                + peer.endpoint().getAddress().getHostAddress() + ":"
                                                + peer.endpoint().getPort()));
                return active;
            }
            return s;
        }
        if (s.phase() == SessionPhase.ACTIVE
                && (s.lastHandshakeAt() == null || handshake.isAfter(s.lastHandshakeAt()))) {
            SessionRecord moved = s.withHandshake(handshake);
            if (!sessions.save(moved, s.phase())) {
                return s;
            }
            // the newest handshake is this node's: the client uses it now (after a failover or a drain)
            sessions.servedHere(s.id());
            return moved;
        }
        return s;
    }

    /** Why the session ends now, if a deadline has passed. */
    Optional<String> lapse(SessionRecord s, PeerSnapshot peer, Instant now) {
        SessionSettings c = settings.get();
        switch (s.phase()) {
            case REQUESTED, CHALLENGED -> {
                return passed(now, s.expiresAt())
                        ? Optional.of("the auth challenge was not answered in time")
                        : Optional.empty();
            }
            case AUTHENTICATED, CONFIGURED, ACTIVE -> {
                if (passed(now, s.expiresAt())) {
                    return Optional.of("the session lifetime ended without re-authentication");
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        if (s.phase() == SessionPhase.AUTHENTICATED
                && passed(now, s.authenticatedAt().plus(c.setupTimeout()))) {
            return Optional.of("no client configuration within " + Durations.format(c.setupTimeout()));
        }
        if (s.phase() == SessionPhase.CONFIGURED && passed(now, s.configuredAt().plus(c.setupTimeout()))) {
            return Optional.of("no handshake within " + Durations.format(c.setupTimeout()) + " of configuration");
        }
        if (s.phase() == SessionPhase.ACTIVE) {
            Instant last = latest(handshakeOf(peer), s.lastHandshakeAt());
            Instant since = last == null ? s.configuredAt() : last;
            if (passed(now, since.plus(c.idleTimeout()))) {
                return Optional.of("idle: no handshake for " + Durations.format(c.idleTimeout()));
            }
        }
        return Optional.empty();
    }

    /** The peer's last handshake as an instant, or null when it has had none. */
    static Instant handshakeOf(PeerSnapshot peer) {
        if (peer == null || peer.lastHandshakeEpochNanos() == 0) {
            return null;
        }
        long nanos = peer.lastHandshakeEpochNanos();
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static boolean passed(Instant now, Instant deadline) {
        return !now.isBefore(deadline);
    }
}
