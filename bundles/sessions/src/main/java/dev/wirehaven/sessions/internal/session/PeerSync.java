package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's device in line with what the shared store says about the sessions that other
 * nodes set up or ended: the peer of every session that is configured or active, and unexpired, is
 * on the device (pre-staged, so that its client can move here with a handshake and no new login);
 * the peer of any other session is not. Both directions read the records again, so applying a change
 * twice, or late, leaves the same device. A drained node holds no session peers: its clients find
 * their gateway gone and move to another node.
 */
final class PeerSync {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSync.class);

    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final TrafficEnforcement enforcement;
    private final PolicyWatch policy;
    private final SessionLocks locks;
    private final Clock clock;
    /** False while the node is drained: then it holds no session peers at all. */
    private final BooleanSupplier holdsPeers;

    PeerSync(
            SessionRepository sessions,
            PeerRepository peers,
            PeerTable table,
            TrafficEnforcement enforcement,
            PolicyWatch policy,
            SessionLocks locks,
            Clock clock,
            BooleanSupplier holdsPeers) {
        this.holdsPeers = holdsPeers;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.enforcement = enforcement;
        this.policy = policy;
        this.locks = locks;
        this.clock = clock;
    }

    /**
     * Puts the session's peer on the device or takes it off, as its records say now.
     *
     * @param publicKey the key the peer had when the change was made (the records may no longer name
     *        it), or null
     * @return true when the peer is on the device afterwards
     */
    boolean sync(String sessionId, String publicKey) {
        ReentrantLock lock = locks.of(sessionId);
        lock.lock();
        try {
            Optional<SessionRecord> s = sessions.find(sessionId).filter(this::holdsPeer);
            Optional<PeerRecord> peer = s.isPresent() ? peers.ofSession(sessionId) : Optional.empty();
            if (peer.isPresent()) {
                table.put(peer.get(), enforcement.filterFor(s.get(), TrafficEnforcement.advertised(s.get())));
                if (publicKey != null && !publicKey.equals(peer.get().publicKey())) {
                    table.remove(publicKey, sessionId); // the session's key changed on the other node
                }
                return true;
            }
            if (publicKey != null) {
                table.remove(publicKey, sessionId);
            }
            enforcement.forget(sessionId);
            policy.closed(sessionId);
            return false;
        } catch (ConfigException e) {
            LOG.warn(
                    "Session {}'s peer could not be brought in line on {}: {}",
                    sessionId,
                    table.interfaceName(),
                    e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Compares the whole store with the device: every session peer that is missing is put on, every
     * session peer whose session no longer holds one is taken off. The safety net under the change
     * log, which a node can miss (a notification lost with its connection, a row committed late).
     *
     * @return the peers put on plus those taken off
     */
    int syncAll() {
        Map<String, PeerSnapshot> onDevice = new HashMap<>();
        for (Map.Entry<String, PeerSnapshot> e : table.fresh().entrySet()) {
            String owner = e.getValue().owner();
            if (owner != null && owner.startsWith(PeerTable.ownerOf(""))) {
                onDevice.put(e.getKey(), e.getValue());
            }
        }
        int changed = 0;
        Map<String, String> wanted = new HashMap<>();
        for (SessionRecord s : sessions.open()) {
            if (!holdsPeer(s)) {
                continue;
            }
            Optional<PeerRecord> peer = peers.ofSession(s.id());
            if (peer.isEmpty()) {
                continue;
            }
            wanted.put(peer.get().publicKey(), s.id());
            PeerSnapshot there = onDevice.get(peer.get().publicKey());
            if (there == null || !PeerTable.ownerOf(s.id()).equals(there.owner())) {
                if (sync(s.id(), null)) {
                    changed++;
                }
            }
        }
        for (Map.Entry<String, PeerSnapshot> e : onDevice.entrySet()) {
            String sessionId =
                    e.getValue().owner().substring(PeerTable.ownerOf("").length());
            if (!sessionId.equals(wanted.get(e.getKey())) && !sync(sessionId, e.getKey())) {
                changed++;
            }
        }
        if (changed > 0) {
            LOG.info("Peers on {} brought in line with the store: {} changed", table.interfaceName(), changed);
        }
        return changed;
    }

    /** Whether the session's peer belongs on this device: configured or active, not expired, the node not drained. */
    private boolean holdsPeer(SessionRecord s) {
        return holdsPeers.getAsBoolean()
                && s.isOpen()
                && (s.phase() == SessionPhase.CONFIGURED || s.phase() == SessionPhase.ACTIVE)
                && s.expiresAt().isAfter(clock.instant());
    }
}
