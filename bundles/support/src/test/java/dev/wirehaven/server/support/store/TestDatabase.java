package dev.wirehaven.server.support.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A fresh database, migrated to the current schema or empty; it lives until {@link #close()}. By
 * default an in-memory H2 with the embedded store's settings, which is what the tests outside the
 * store use; the store's own tests run on each {@link Engine}, a real PostgreSQL included.
 */
public final class TestDatabase implements AutoCloseable {

    /** The databases that the store serves. */
    public enum Engine {
        /** In memory, with the embedded store's settings. */
        H2,
        /** A database of the {@link RealPostgres} of this test run. */
        POSTGRESQL
    }

    /** Drops the database. */
    @FunctionalInterface
    interface Disposal {
        void dispose() throws SQLException;
    }

    private final DataSource dataSource;
    private final Disposal disposal;

    TestDatabase(DataSource dataSource, Disposal disposal) {
        this.dataSource = dataSource;
        this.disposal = disposal;
    }

    /** An empty in-memory H2 database without any schema. */
    public static TestDatabase empty() {
        return empty(Engine.H2);
    }

    /** An empty database without any schema. */
    public static TestDatabase empty(Engine engine) {
        return switch (engine) {
            case H2 -> inMemoryH2();
            case POSTGRESQL -> RealPostgres.shared().newDatabase();
        };
    }

    /** An in-memory H2 database with the schema of the given tracks. */
    public static TestDatabase migrated(MigrationTrack... tracks) {
        return migrated(Engine.H2, tracks);
    }

    /** A database with the schema of the given tracks. */
    public static TestDatabase migrated(Engine engine, MigrationTrack... tracks) {
        TestDatabase db = empty(engine);
        try {
            for (MigrationTrack track : tracks) {
                new SchemaMigrations(db.dataSource(), track, Clock.systemUTC()).migrate();
            }
            return db;
        } catch (RuntimeException e) {
            try {
                db.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static TestDatabase inMemoryH2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        return new TestDatabase(h2, () -> {
            try (Connection c = h2.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        disposal.dispose();
    }
}
