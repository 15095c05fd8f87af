package dev.wirehaven.sessions.internal.cluster;

import dev.wirehaven.sessions.internal.store.ChangeRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the feed when another node commits a change: one connection held for {@code LISTEN} on
 * {@link ChangeRepository#CHANNEL} (pgjdbc delivers notifications on the connection that listens, so
 * it cannot go back to the pool), waited on with the driver's {@code getNotifications(timeout)}. A
 * lost connection is closed and opened again at the next wait; the log rows make up for what was
 * missed meanwhile.
 */
final class PostgresWakeups implements ChangeWakeups {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWakeups.class);

    private final DataSource store;
    private Connection listening;

    PostgresWakeups(DataSource store) {
        this.store = store;
    }

    /** Whether {@code store} is PostgreSQL (false when it cannot be asked now: the poll still works). */
    static boolean isPostgres(DataSource store) {
        try (Connection c = store.getConnection()) {
            return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName()) && c.isWrapperFor(PGConnection.class);
        } catch (SQLException | NoClassDefFoundError e) {
            // NoClassDefFoundError: the driver bundle is not wired to this one (an optional import)
            LOG.debug("Change log: no PostgreSQL notifications ({}); polling", e.toString());
            return false;
        }
    }

    @Override
    public void await(Duration atMost) throws InterruptedException {
        try {
            PGConnection pg = listener();
            PGNotification[] received = pg.getNotifications((int) Math.max(1, atMost.toMillis()));
            if (received == null || received.length == 0) {
                return;
            }
            LOG.trace("Change log: {} notifications", received.length);
        } catch (SQLException e) {
            LOG.warn(
                    "Change log: listening for other nodes' changes failed ({}); polling until it works again",
                    e.getMessage());
            close();
            Thread.sleep(atMost.toMillis());
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private PGConnection listener() throws SQLException {
        if (listening == null || listening.isClosed()) {
            Connection c = store.getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + ChangeRepository.CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            listening = c;
        }
        return listening.unwrap(PGConnection.class);
    }

    @Override
    public void close() {
        if (listening != null) {
            try (Statement s = listening.createStatement()) {
                // the connection goes back to the pool: it must not collect notifications for its next user
                s.execute("UNLISTEN *");
            } catch (SQLException e) {
                LOG.debug("Change log: UNLISTEN failed: {}", e.getMessage());
            }
            try {
                listening.close();
            } catch (SQLException e) {
                LOG.debug("Change log: closing the listening connection: {}", e.getMessage());
            }
            listening = null;
        }
    }
}
