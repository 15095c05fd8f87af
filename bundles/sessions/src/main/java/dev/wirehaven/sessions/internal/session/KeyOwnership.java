package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's WireGuard key belongs to one user: another user's login cannot take it over, and a new
 * session of the same key and user replaces the earlier ones.
 */
final class KeyOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(KeyOwnership.class);

    private final SessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final SessionLocks locks;
    /** Serialises the supersession passes of one client key. */
    private final SessionLocks keyLocks = new SessionLocks();

    KeyOwnership(SessionRepository sessions, SessionLifecycle lifecycle, SessionLocks locks) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.locks = locks;
    }

    /** Refuses the key when another user's authenticated session holds it: only its owner may replace it. */
    void refuseKeyOfAnotherUser(SessionRecord s, String user) throws FlowException {
        for (SessionRecord other : sessions.openWithKey(s.clientPublicKey())) {
            if (!other.id().equals(s.id())
                    && SessionAccess.AFTER_AUTH.contains(other.phase())
                    && !user.equals(other.user())) {
                throw new FlowException(
                        FlowFailure.FORBIDDEN,
                        "This WireGuard public key belongs to another user's"
                                + " session; generate a new key pair for this device");
            }
        }
    }

    /**
     * Closes the other open sessions of the same key and user (or of nobody yet): a client that
     * connects again replaces its previous session. Runs after the new session's lock is released and
     * under a lock of the key, taking each other session's lock in turn, so that no two locks are ever
     * waited for in opposite orders. A new session that was itself closed meanwhile (two logins of one
     * key racing) closes nothing: exactly one of them survives.
     */
    void supersedeOthers(SessionRecord newer) {
        ReentrantLock keyLock = keyLocks.of(newer.clientPublicKey());
        keyLock.lock();
        try {
            if (sessions.find(newer.id()).filter(SessionRecord::isOpen).isEmpty()) {
                return;
            }
            for (SessionRecord other : sessions.openWithKey(newer.clientPublicKey())) {
                if (other.id().equals(newer.id())
                        || other.user() != null && !other.user().equals(newer.user())) {
                    continue;
                }
                ReentrantLock lock = locks.of(other.id());
                lock.lock();
                try {
                    sessions.find(other.id())
                            .filter(SessionRecord::isOpen)
                            .ifPresent(current -> lifecycle.close(
                                    current,
                                    SessionPhase.DISCONNECTED,
                                    "superseded by session " + newer.id() + " of the same key"));
                } finally {
                    lock.unlock();
                }
            }
        } catch (StoreException e) {
            LOG.warn(
                    "Could not close the sessions that session {} supersedes: {}; they lapse by themselves",
                    newer.id(),
                    e.getMessage());
        } finally {
            keyLock.unlock();
        }
    }
}
