package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.ConfigException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's session peers at the two edges of a session layer's life: at its start, the peers of
 * the sessions that are still valid go back on the device (their clients resume without a new login)
 * and what a crash left half-done is ended; when the sessions move to another interface, every
 * session peer leaves this one.
 */
final class PeerRestore {

    private static final Logger LOG = LoggerFactory.getLogger(PeerRestore.class);

    private final Supplier<SessionSettings> settings;
    private final String nodeName;
    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final AddressLeases leases;
    private final SessionLifecycle lifecycle;
    private final SessionLocks locks;
    private final TrafficEnforcement enforcement;
    private final Reaper reaper;
    private final Clock clock;

    PeerRestore(
            Supplier<SessionSettings> settings,
            String nodeName,
            SessionRepository sessions,
            PeerRepository peers,
            PeerTable table,
            AddressLeases leases,
            SessionLifecycle lifecycle,
            SessionLocks locks,
            TrafficEnforcement enforcement,
            Reaper reaper,
            Clock clock) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.leases = leases;
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.enforcement = enforcement;
        this.reaper = reaper;
        this.clock = clock;
    }

    /**
     * Puts the peers of the valid sessions back on the device, ends the setups that a crash
     * interrupted after the login and the sessions whose peer record was lost, removes stray peers,
     * releases stray leases and sweeps once.
     */
    void atStart() {
        reportPoolOverlaps();
        int restored = 0;
        int ended = 0;
        Set<String> open = new HashSet<>();
        Set<String> othersSteps = sessions.lastTouchedElsewhere(nodeName);
        for (SessionRecord s : sessions.open()) {
            if (s.phase() == SessionPhase.AUTHENTICATED && othersSteps.contains(s.id())) {
                // another node of the store is setting it up: not this node's restart to clean up
                open.add(s.id());
                continue;
            }
            if (s.phase() == SessionPhase.AUTHENTICATED) {
                // A setup that a restart (of the process, or of this layer for a new interface or
                // pool) cut between the login and the client config, or whose CONFIGURED was not
                // saved: its token is valid, it may hold a lease and a peer record, but no peer is on
                // the device. Half a session is worse than none: its client cannot tell, and the lease
                // stays taken until setup.timeout. Ended here, so that after a restart every session is
                // either whole (token, lease, peer) or gone; the client gets 401 expired at its next
                // step and starts again with a new connection request. SessionSetupKillIT (itests)
                // kills the server during 200 setups and checks this.
                endUnderLock(s, "its setup was interrupted by a server restart before its peer was added");
                ended++;
                continue;
            }
            boolean onDevice = s.phase() == SessionPhase.CONFIGURED || s.phase() == SessionPhase.ACTIVE;
            // a lapsed session's peer is not put back: the sweep below ends it
            if (!onDevice || !s.expiresAt().isAfter(clock.instant())) {
                open.add(s.id());
                continue;
            }
            Optional<PeerRecord> peer = peers.ofSession(s.id());
            if (peer.isEmpty()) {
                endUnderLock(s, "its peer record was lost while the server was down");
                ended++;
                continue;
            }
            open.add(s.id());
            if (putBack(s, peer.get())) {
                restored++;
            }
        }
        for (PeerRecord stray : peers.all()) {
            if (!open.contains(stray.sessionId())) {
                peers.removeOfSession(stray.sessionId());
                removeQuietly(stray.publicKey(), stray.sessionId());
            }
        }
        int released = leases.releaseOrphans(open);
        int before = sessions.open().size();
        reaper.sweep();
        ended += before - sessions.open().size();
        LOG.info(
                "Sessions on {}: restored {} peers, ended {} lapsed or interrupted sessions, released {} stray leases; pools {}",
                table.interfaceName(),
                restored,
                ended,
                released,
                settings.get().subnets());
    }

    /**
     * Takes every session peer off the device, for when the sessions move to another interface: a
     * peer left behind on the old one would be a tunnel that no session controls.
     */
    void withdrawAll() {
        for (PeerRecord peer : peers.all()) {
            removeQuietly(peer.publicKey(), peer.sessionId());
        }
    }

    /** The session's peer on the device with its access filter; false (logged) when the device refuses it. */
    private boolean putBack(SessionRecord s, PeerRecord peer) {
        try {
            table.put(peer, enforcement.filterFor(s, TrafficEnforcement.advertised(s)));
            return true;
        } catch (ConfigException | RuntimeException e) {
            LOG.error("Cannot restore the peer of session {} on {}: {}", s.id(), table.interfaceName(), e.getMessage());
            return false;
        }
    }

    /** Ends {@code s} as EXPIRED at start: its peer record and device peer go, its addresses are released. */
    private void endUnderLock(SessionRecord s, String reason) {
        ReentrantLock lock = locks.of(s.id());
        lock.lock();
        try {
            lifecycle.close(s, SessionPhase.EXPIRED, reason);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Names each static peer whose prefix lies in a session pool: sessions never get those addresses,
     * but the operator likely meant the pool to be the sessions' own.
     */
    private void reportPoolOverlaps() {
        for (PeerTable.Owned taken : table.staticPrefixes()) {
            for (IpPrefix pool : settings.get().subnets()) {
                if (Prefixes.overlap(pool, taken.prefix())) {
                    String key = pool.isIpv4() ? SessionSettings.SUBNET_V4 : SessionSettings.SUBNET_V6;
                    LOG.warn(
                            "The session pool {} ({} in etc/{}.cfg) overlaps {} of the static peer {} on {}: sessions"
                                    + " never get those addresses; move the static peer out of the pool, or set {} to"
                                    + " a subnet without static peers",
                            Prefixes.text(pool),
                            key,
                            SessionSettings.PID,
                            Prefixes.text(taken.prefix()),
                            taken.publicKey(),
                            table.interfaceName(),
                            key);
                }
            }
        }
    }

    private void removeQuietly(String publicKey, String sessionId) {
        try {
            table.remove(publicKey, sessionId);
        } catch (ConfigException | RuntimeException e) {
            LOG.debug("Stray peer {} was not on {}: {}", publicKey, table.interfaceName(), e.getMessage());
        }
    }
}
