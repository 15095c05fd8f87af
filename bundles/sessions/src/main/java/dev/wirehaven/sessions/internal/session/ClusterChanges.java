package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.ClusterChange;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other gateway nodes of the store what this node changed, through the shared change log.
 * A change that cannot be written is logged and not retried: the local step has happened and stays,
 * and the other nodes' periodic reconciliation with the store (see {@link PeerSync#syncAll}) catches up.
 */
final class ClusterChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterChanges.class);

    private final ChangeRepository log;
    private final String node;
    private final Clock clock;

    ClusterChanges(ChangeRepository log, String node, Clock clock) {
        this.log = log;
        this.node = node;
        this.clock = clock;
    }

    /**
     * The session's peer came, went or changed here; every node brings its own in line with the records.
     *
     * @param publicKey the peer's key as it was on this node's device
     */
    void peerChanged(String sessionId, String publicKey) {
        append(ClusterChange.Kind.PEER, sessionId, publicKey);
    }

    /** Every open session got a new policy version: every node answers its parked polls. */
    void policyChanged() {
        append(ClusterChange.Kind.POLICY, null, null);
    }

    private void append(ClusterChange.Kind kind, String sessionId, String publicKey) {
        try {
            log.append(node, kind, sessionId, publicKey, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn(
                    "The other nodes learn of this {} change of session {} at their next reconciliation: {}",
                    kind,
                    sessionId,
                    e.getMessage());
        }
    }
}
