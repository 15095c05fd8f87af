package dev.wirehaven.sessions.internal.cluster;

import java.time.Duration;
import javax.sql.DataSource;

/**
 * What wakes a node to read the change log before its next poll: a PostgreSQL notification where the
 * store is PostgreSQL, nothing but the poll interval elsewhere.
 */
public interface ChangeWakeups extends AutoCloseable {

    /**
     * Returns when another node may have appended a change, or after {@code atMost}.
     *
     * @throws InterruptedException when the feed is stopping
     */
    void await(Duration atMost) throws InterruptedException;

    /** Releases what the wake-ups hold (a listening connection). */
    @Override
    void close();

    /**
     * Whether other servers can open {@code store} at the same time: PostgreSQL can, the embedded H2 file
     * cannot. A store that does not answer now counts as shared: a node that wrongly kept to itself
     * would leave the other nodes' clients without their peers here, one that wrongly joins costs a
     * heartbeat a second.
     */
    static boolean isShared(DataSource store) {
        try (java.sql.Connection c = store.getConnection()) {
            return !"H2".equals(c.getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            return true;
        }
    }

    /** The wake-ups that {@code store} offers: notifications on PostgreSQL, the poll interval elsewhere. */
    static ChangeWakeups of(DataSource store) {
        return PostgresWakeups.isPostgres(store) ? new PostgresWakeups(store) : new PollingWakeups();
    }
}
