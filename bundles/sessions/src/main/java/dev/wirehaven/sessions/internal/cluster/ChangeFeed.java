package dev.wirehaven.sessions.internal.cluster;

import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.ClusterChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's reader of the change log: on every wake-up (a notification, or {@link #POLL} without one)
 * it reads the rows after its cursor and hands the other nodes' changes to {@code apply}; every
 * {@code fullEvery} it runs {@code reconcileAll}, which compares the whole store with the device.
 *
 * <p>Two things can hide a row from a reader that only moves forward: ids are handed out when a row is
 * inserted but become visible when its transaction commits, so a later id can be seen before an
 * earlier one. The feed therefore reads again the last {@value #REREAD} ids before its cursor and
 * skips those it has applied (a bounded set); what still slips through (a transaction held longer than
 * that many others) the full reconciliation repairs. Applying a change is idempotent (it reads the
 * session's records again), so reading one twice costs a query, never a wrong state.
 */
public final class ChangeFeed implements AutoCloseable {

    /** How long the feed waits for a notification before it reads the log anyway. */
    public static final Duration POLL = Duration.ofSeconds(1);
    /** Ids before the cursor that every read covers again. */
    static final int REREAD = 64;
    /** Rows read at once. */
    static final int BATCH = 500;
    /** Applied ids remembered, so that a re-read skips them. */
    static final int SEEN = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final ChangeRepository log;
    private final String self;
    private final ChangeWakeups wakeups;
    private final Consumer<ClusterChange> apply;
    private final Runnable reconcileAll;
    private final Duration fullEvery;
    private final Clock clock;
    private final Set<Long> seen = new LinkedHashSet<>();
    private long cursor;
    /** The cursor at {@link #begin}: what came before is in the store that the node restored from. */
    private long floor;

    private Instant nextFull;
    private Thread thread;

    /**
     * @param self this node's name: its own changes are already on its device
     * @param apply applies one other node's change to this node's device
     * @param reconcileAll brings the device in line with the whole store
     */
    public ChangeFeed(
            ChangeRepository log,
            String self,
            ChangeWakeups wakeups,
            Consumer<ClusterChange> apply,
            Runnable reconcileAll,
            Duration fullEvery,
            Clock clock) {
        this.log = log;
        this.self = self;
        this.wakeups = wakeups;
        this.apply = apply;
        this.reconcileAll = reconcileAll;
        this.fullEvery = fullEvery;
        this.clock = clock;
    }

    /**
     * Places the cursor after the newest change there is now, before the caller restores the device
     * from the store: what came before is in the store, and what comes during the restore is read
     * (again, harmlessly) afterwards.
     */
    public synchronized void begin() {
        cursor = log.latestId();
        floor = cursor;
        nextFull = clock.instant().plus(fullEvery);
    }

    /** Starts the thread that reads the log at every wake-up (after {@link #begin}). */
    public synchronized void start() {
        if (nextFull == null) {
            begin();
        }
        thread = new Thread(this::run, "wirehaven-cluster-changes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                wakeups.await(POLL);
                readOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a store that is away costs this round, never the feed: the next round reads again
                LOG.warn("Cluster changes not read this time: {}", e.getMessage());
            }
        }
    }

    /**
     * Reads and applies what other nodes appended since the last read, and reconciles everything when
     * it is time (the thread's step; tests call it directly).
     *
     * @return how many other nodes' changes were applied
     */
    public synchronized int readOnce() {
        if (nextFull == null) {
            throw new IllegalStateException("begin() first: the feed has no place in the log yet");
        }
        int applied = 0;
        List<ClusterChange> changes;
        do {
            changes = log.after(Math.max(floor, cursor - REREAD), BATCH);
            for (ClusterChange change : changes) {
                cursor = Math.max(cursor, change.id());
                if (!seen.add(change.id())) {
                    continue;
                }
                trimSeen();
                if (self.equals(change.node())) {
                    continue;
                }
                try {
                    apply.accept(change);
                    applied++;
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Cluster change {} from node {} not applied: {}",
                            change.kind(),
                            change.node(),
                            e.getMessage());
                }
            }
        } while (changes.size() == BATCH); // a full batch: more may follow (each round moves the cursor)
        Instant now = clock.instant();
        if (!now.isBefore(nextFull)) {
            nextFull = now.plus(fullEvery);
            reconcileAll.run();
        }
        return applied;
    }

    private void trimSeen() {
        while (seen.size() > SEEN) {
            Long oldest = seen.iterator().next();
            seen.remove(oldest);
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(POLL.multipliedBy(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        wakeups.close();
    }
}
