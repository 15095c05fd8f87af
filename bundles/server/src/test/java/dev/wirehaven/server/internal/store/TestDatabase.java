package dev.wirehaven.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A fresh in-memory H2 database with the embedded store's settings, migrated to the current schema;
 * it lives until {@link #close()}. Used by the store's and the address pools' tests.
 */
public final class TestDatabase implements AutoCloseable {

    private final JdbcDataSource dataSource = new JdbcDataSource();

    private TestDatabase() {
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    }

    /** An empty database without any schema. */
    public static TestDatabase empty() {
        return new TestDatabase();
    }

    /** A database with the server's schema. */
    public static TestDatabase migrated() {
        TestDatabase db = new TestDatabase();
        new SchemaMigrations(db.dataSource(), Clock.systemUTC()).migrate();
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
