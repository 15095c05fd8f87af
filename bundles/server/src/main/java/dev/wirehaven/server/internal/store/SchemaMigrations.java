package dev.wirehaven.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's schema up to the version this server was built for, whatever store holds
 * it (the embedded H2 or PostgreSQL). The applied versions are rows of {@code schema_version};
 * each missing migration runs in its own transaction together with the row that records it, in
 * version order. A database that already has a version this server does not know was written by a
 * newer Wirehaven, and the runner refuses it rather than run old code against a schema it
 * cannot understand. A script edited after it was applied is refused too (its checksum changed).
 *
 * <p>Why not Flyway: since 7.8.2 Flyway finds its database support through
 * {@code java.util.ServiceLoader} (flyway/flyway#3173, #3177), and from version 10 that support
 * lives in separate {@code flyway-database-*} jars discovered the same way (flyway/flyway#3780);
 * in OSGi that discovery needs a ServiceLoader mediator and headers those jars do not carry, so
 * Flyway would have to be wrapped and tested per release. What we need is this class.
 */
public final class SchemaMigrations {

    /** The migrations of this server, oldest first; every script in {@code migrations/} is listed here. */
    static final List<String> SCRIPTS = List.of("V1__initial.sql", "V2__sessions.sql");

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, "
            + "checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)";
    private static final String SELECT_APPLIED = "SELECT version, checksum FROM schema_version ORDER BY version";
    private static final String INSERT_APPLIED =
            "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)";

    private final DataSource dataSource;
    private final List<Migration> migrations;
    private final Clock clock;

    /** The runner for this server's own migrations. */
    public SchemaMigrations(DataSource dataSource, Clock clock) {
        this(dataSource, SCRIPTS.stream().map(Migration::load).toList(), clock);
    }

    SchemaMigrations(DataSource dataSource, List<Migration> migrations, Clock clock) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1, 2, 3... without gaps; found V"
                        + migrations.get(i).version() + " at position " + (i + 1));
            }
        }
        this.dataSource = dataSource;
        this.migrations = List.copyOf(migrations);
        this.clock = clock;
    }

    /** The schema version this server needs. */
    public int latestVersion() {
        return migrations.size();
    }

    /**
     * Applies the migrations that the database lacks.
     *
     * @return the versions applied now (empty when the schema was already current)
     * @throws StoreException when the database is newer than this server, a script was changed after
     *         it was applied, or a migration fails (its transaction is rolled back)
     */
    public List<Integer> migrate() {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_VERSION_TABLE);
            }
            Map<Integer, String> applied = applied(c);
            check(applied);
            List<Integer> done = new ArrayList<>();
            for (Migration m : migrations) {
                if (!applied.containsKey(m.version())) {
                    apply(c, m);
                    done.add(m.version());
                }
            }
            if (!done.isEmpty()) {
                LOG.info("Store schema migrated to version {} (applied {})", latestVersion(), done);
            }
            return done;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the store's schema version", e);
        }
    }

    private static Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_APPLIED); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    private void check(Map<Integer, String> applied) {
        int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (newest > latestVersion()) {
            throw new StoreException("The store has schema version " + newest + " but this server knows versions up to "
                    + latestVersion() + ": a newer Wirehaven has used this database. Run that version, or restore a "
                    + "backup made before the upgrade; this server will not touch a schema it does not understand.");
        }
        for (Migration m : migrations) {
            String checksum = applied.get(m.version());
            if (checksum != null && !checksum.equals(m.checksum())) {
                throw new StoreException("Migration V" + m.version() + " (" + m.description() + ") differs from the "
                        + "script this database applied (checksum " + checksum + ", now " + m.checksum()
                        + "): released migrations must never change; add a new migration instead.");
            }
        }
    }

    private void apply(Connection c, Migration m) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String statement : m.statements()) {
                s.execute(statement);
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_APPLIED)) {
                ps.setInt(1, m.version());
                ps.setString(2, m.description());
                ps.setString(3, m.checksum());
                Timestamps.set(ps, 4, clock.instant());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            if (e instanceof SQLException sql) {
                throw new StoreException("Migration V" + m.version() + " (" + m.description() + ") failed and was rolled back", sql);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
