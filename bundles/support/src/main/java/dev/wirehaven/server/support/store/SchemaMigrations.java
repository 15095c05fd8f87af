package dev.wirehaven.server.support.store;

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
 * Brings one {@link MigrationTrack} of the database's schema up to the version this bundle was built
 * for, whatever store holds it (the embedded H2 or PostgreSQL). The applied versions are rows of
 * {@code schema_history}, keyed by track and version; each missing migration runs in its own
 * transaction together with the row that records it, in version order. A track that already has a
 * version this bundle does not know was written by a newer Wirehaven, and the runner refuses it
 * rather than run old code against a schema it cannot understand. A script edited after it was
 * applied is refused too (its checksum changed).
 *
 * <p>Several bundles create {@code schema_history} if it is missing, possibly at the same moment; the
 * loser of that race sees the winner's table on its second look (see {@link #createHistory}). Several
 * gateway nodes that share one PostgreSQL database may start at the same moment too: there the whole
 * run holds a PostgreSQL advisory lock ({@link #MIGRATION_LOCK}), so that one node migrates while the
 * others wait and then find every version applied. Within one server the runs of its bundles take turns
 * on the store object's monitor (see {@link #migrate()}), which H2, opened by one process only, needs.
 *
 * <p>Why not Flyway: since 7.8.2 Flyway finds its database support through
 * {@code java.util.ServiceLoader} (flyway/flyway#3173, #3177), and from version 10 that support
 * lives in separate {@code flyway-database-*} jars discovered the same way (flyway/flyway#3780);
 * in OSGi that discovery needs a ServiceLoader mediator and headers those jars do not carry, so
 * Flyway would have to be wrapped and tested per release. What we need is this class.
 */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private static final String CREATE_HISTORY_TABLE = "CREATE TABLE IF NOT EXISTS schema_history ("
            + "track VARCHAR(64) NOT NULL, version INTEGER NOT NULL, description VARCHAR(200) NOT NULL, "
            + "checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (track, version))";
    private static final String SELECT_APPLIED =
            "SELECT version, checksum FROM schema_history WHERE track = ? ORDER BY version";
    private static final String INSERT_APPLIED =
            "INSERT INTO schema_history (track, version, description, checksum, applied_at) VALUES (?, ?, ?, ?, ?)";

    /**
     * The key of the session-level advisory lock that a migration run holds on PostgreSQL, shared by
     * every track: runs are short, and one lock cannot deadlock against another. The value is the
     * ASCII of "whschema", so that an operator who sees it in {@code pg_locks} can tell whose it is.
     */
    static final long MIGRATION_LOCK = 0x7768736368656d61L;

    private final DataSource dataSource;
    private final String track;
    private final List<Migration> migrations;
    private final Clock clock;

    /** The runner for one track's migrations. */
    public SchemaMigrations(DataSource dataSource, MigrationTrack track, Clock clock) {
        this(dataSource, track.name(), track.load(), clock);
    }

    SchemaMigrations(DataSource dataSource, String track, List<Migration> migrations, Clock clock) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1, 2, 3... without gaps; found V"
                        + migrations.get(i).version() + " at position " + (i + 1));
            }
        }
        this.dataSource = dataSource;
        this.track = track;
        this.migrations = List.copyOf(migrations);
        this.clock = clock;
    }

    /** The version of this track that this bundle needs. */
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
        // One run at a time per store in this server. At the start every bundle that owns tables runs
        // its track at the same moment, each with its own copy of this class (embedded privately) but all
        // through the one DataSource service of the store. On H2 two runs at once deadlocked: DDL locks
        // H2's system table until its transaction commits, and one run's DDL waited for the other's until
        // the lock timeout failed it, leaving its bundle stopped. The store object's monitor serializes
        // them; runs take milliseconds. Across gateway nodes PostgreSQL's advisory lock does the same.
        synchronized (dataSource) {
            return migrateAlone();
        }
    }

    private List<Integer> migrateAlone() {
        try (Connection c = dataSource.getConnection();
                MigrationLock lock = MigrationLock.take(c)) {
            createHistory(c);
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
                LOG.info("Store schema {} migrated to version {} (applied {})", track, latestVersion(), done);
            }
            return done;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the store's schema version of " + track, e);
        }
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS} is not atomic on PostgreSQL: two sessions that both find the
     * table missing both create it, and the second fails on the catalog's unique index. Whoever fails
     * looks again, and finds the table the other one made.
     */
    private static void createHistory(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(CREATE_HISTORY_TABLE);
        } catch (SQLException raced) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_HISTORY_TABLE);
            }
        }
    }

    private Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_APPLIED)) {
            ps.setString(1, track);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return applied;
    }

    private void check(Map<Integer, String> applied) {
        int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (newest > latestVersion()) {
            throw new StoreException("The store has schema " + track + " version " + newest
                    + " but this server knows versions up to "
                    + latestVersion() + ": a newer Wirehaven has used this database. Run that version, or restore a "
                    + "backup made before the upgrade; this server will not touch a schema it does not understand.");
        }
        for (Migration m : migrations) {
            String checksum = applied.get(m.version());
            if (checksum != null && !checksum.equals(m.checksum())) {
                throw new StoreException(
                        "Migration " + track + " V" + m.version() + " (" + m.description() + ") differs from the "
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
                ps.setString(1, track);
                ps.setInt(2, m.version());
                ps.setString(3, m.description());
                ps.setString(4, m.checksum());
                Timestamps.set(ps, 5, clock.instant());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            if (e instanceof SQLException sql) {
                throw new StoreException(
                        "Migration " + track + " V" + m.version() + " (" + m.description()
                                + ") failed and was rolled back",
                        sql);
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * The advisory lock of one migration run on PostgreSQL, or nothing on a database that one process
     * owns. Session-level, not per transaction, because each migration commits on its own; PostgreSQL
     * releases it if the connection dies, so a node killed while migrating blocks nobody.
     */
    private static final class MigrationLock implements AutoCloseable {

        private final Connection held;

        private MigrationLock(Connection held) {
            this.held = held;
        }

        static MigrationLock take(Connection c) throws SQLException {
            if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                return new MigrationLock(null);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, MIGRATION_LOCK);
                ps.execute();
            }
            return new MigrationLock(c);
        }

        @Override
        public void close() throws SQLException {
            if (held != null && !held.isClosed()) {
                try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, MIGRATION_LOCK);
                    ps.execute();
                }
            }
        }
    }
}
