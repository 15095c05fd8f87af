package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.sessions.internal.cluster.ChangeFeed;
import dev.wirehaven.sessions.internal.cluster.ChangeWakeups;
import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.ClusterChange;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer as one gateway node among those of its store, once it runs: the heartbeat, the
 * feed that applies the other nodes' changes to this node's device ({@link PeerSync}), and the drain.
 * With the embedded store there is no other node and neither runs.
 */
final class ClusterNode implements AutoCloseable {

    /** How often a node compares the whole store with its device, under the change log. */
    static final Duration FULL_SYNC = Duration.ofSeconds(30);
    /** How long the change log keeps a change: far longer than any node lags behind it. */
    static final Duration CHANGE_RETENTION = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final NodeMembership membership;
    private final ChangeRepository changes;
    private final PeerSync peerSync;
    private final PolicyWatch policy;
    private final ChangeFeed feed;
    /** Whether other servers can use the same store (PostgreSQL), so that this one is a node among others. */
    private final boolean sharedStore;

    private final ScheduledExecutorService timer;
    private final Clock clock;
    private ScheduledFuture<?> heartbeatTask;

    ClusterNode(
            NodeMembership membership,
            ChangeRepository changes,
            PeerSync peerSync,
            PolicyWatch policy,
            DataSource store,
            ScheduledExecutorService timer,
            Clock clock) {
        this.membership = membership;
        this.changes = changes;
        this.peerSync = peerSync;
        this.policy = policy;
        this.timer = timer;
        this.clock = clock;
        this.sharedStore = ChangeWakeups.isShared(store);
        this.feed = new ChangeFeed(
                changes, membership.name(), ChangeWakeups.of(store), this::apply, peerSync::syncAll, FULL_SYNC, clock);
    }

    ChangeFeed feed() {
        return feed;
    }

    /**
     * Joins the other nodes of the store from now on: the heartbeat every {@link NodeMembership#HEARTBEAT}
     * and the change feed's thread. The first heartbeat is written before this returns, so that the
     * node is in the others' gateway lists as soon as it serves.
     */
    synchronized void join() {
        if (heartbeatTask != null) {
            return;
        }
        if (!sharedStore) {
            // a file that one process opens has no other node to tell: no heartbeat writes, no polls
            LOG.info("Gateway node {} is the only node of its embedded store", membership.name());
            return;
        }
        membership.beatQuietly();
        long every = NodeMembership.HEARTBEAT.toMillis();
        heartbeatTask = timer.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        feed.start();
    }

    /**
     * Drains this node for an upgrade: no new sessions, and its session peers taken off the device, so
     * that each client finds its gateway gone within seconds and moves to another node without a new
     * login (every other node holds its peer).
     *
     * @return the session peers taken off
     */
    int drain() {
        membership.drain();
        return peerSync.syncAll();
    }

    /**
     * Puts a drained node back in service: it takes new sessions and holds every session's peer again.
     *
     * @return the session peers put back
     */
    int undrain() {
        membership.activate();
        return peerSync.syncAll();
    }

    private void heartbeat() {
        membership.beatQuietly();
        try {
            changes.deleteBefore(clock.instant().minus(CHANGE_RETENTION), Reaper.PRUNE_BATCH);
        } catch (RuntimeException e) {
            LOG.debug("Old cluster changes not deleted this time: {}", e.getMessage());
        }
    }

    /** Applies one other node's change to this node's device. */
    private void apply(ClusterChange change) {
        switch (change.kind()) {
            case PEER -> peerSync.sync(change.sessionId(), change.publicKey());
            case POLICY -> policy.changed();
        }
    }

    /** Stops the heartbeat and the feed; the node's row ages out of the others' lists. */
    @Override
    public synchronized void close() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        feed.close();
    }
}
