package dev.wirehaven.server.support.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@OnEveryDatabase
class SchemaMigrationsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    private final TestDatabase.Engine engine;

    SchemaMigrationsTest(TestDatabase.Engine engine) {
        this.engine = engine;
    }

    @Test
    void createsEveryTableOnAnEmptyDatabaseAndRecordsTheVersion() throws Exception {
        try (TestDatabase db = TestDatabase.empty(engine)) {
            SchemaMigrations migrations = new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK);
            assertEquals(List.of(1, 2), migrations.migrate());
            assertEquals(Set.of("things", "colours", "schema_history"), tables(db));
            assertEquals(List.of(1, 2), versions(db));
        }
    }

    @Test
    void runningTwiceChangesNothingTheSecondTime() throws Exception {
        try (TestDatabase db = TestDatabase.empty(engine)) {
            assertEquals(List.of(1, 2), new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK).migrate());
            assertEquals(List.of(), new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK).migrate());
            assertEquals(List.of(1, 2), versions(db));
        }
    }

    @Test
    void tracksAreIndependentOfEachOther() throws Exception {
        MigrationTrack other = new MigrationTrack("other", MigrationTest.class, List.of("V1__things.sql"));
        try (TestDatabase db = TestDatabase.migrated(engine, MigrationTest.THINGS)) {
            // the other track has its own version 1, although its script's tables are there already
            assertEquals(List.of(1), new SchemaMigrations(db.dataSource(), other, CLOCK).migrate());
            assertEquals(List.of(), new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK).migrate());
            assertEquals(List.of(1, 2), versions(db));
        }
    }

    @Test
    void tracksOfSeveralBundlesMigratingAtOnceInOneServerAllComplete() throws Exception {
        // at the start every bundle that owns tables migrates its own track at the same moment, through
        // the one store; on H2 two such runs deadlocked (one's DDL against the other's), and after the
        // lock timeout one failed and left its bundle stopped (TunnelMetricsIT, 2026-12-05)
        int bundles = 4;
        for (int round = 0; round < 10; round++) {
            try (TestDatabase db = TestDatabase.empty(engine)) {
                ExecutorService starts = Executors.newFixedThreadPool(bundles);
                try {
                    CyclicBarrier together = new CyclicBarrier(bundles);
                    List<Future<List<Integer>>> runs = new ArrayList<>();
                    for (int i = 0; i < bundles; i++) {
                        String table = "owned" + i;
                        List<Migration> track = List.of(
                                new Migration(1, "create", "CREATE TABLE " + table + " (id INT);\n", "c1"),
                                new Migration(
                                        2,
                                        "grow",
                                        "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS note VARCHAR(45);\n"
                                                + "CREATE INDEX " + table + "_note ON " + table + " (note);\n",
                                        "c2"));
                        runs.add(starts.submit(() -> {
                            together.await();
                            return new SchemaMigrations(db.dataSource(), table, track, CLOCK).migrate();
                        }));
                    }
                    for (Future<List<Integer>> run : runs) {
                        assertEquals(List.of(1, 2), run.get(60, TimeUnit.SECONDS), "round " + round);
                    }
                } finally {
                    starts.shutdownNow();
                }
            }
        }
    }

    @Test
    void refusesADatabaseWrittenByANewerServer() throws Exception {
        try (TestDatabase db = TestDatabase.migrated(engine, MigrationTest.THINGS)) {
            execute(
                    db,
                    "INSERT INTO schema_history (track, version, description, checksum, applied_at) "
                            + "VALUES ('things', 7, 'from the future', 'x', TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:00+00')");
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK).migrate());
            assertTrue(e.getMessage().contains("schema things version 7"), e.getMessage());
            assertTrue(e.getMessage().contains("knows versions up to 2"), e.getMessage());
        }
    }

    @Test
    void refusesAMigrationThatWasEditedAfterItWasApplied() throws Exception {
        try (TestDatabase db = TestDatabase.migrated(engine, MigrationTest.THINGS)) {
            execute(db, "UPDATE schema_history SET checksum = 'edited' WHERE track = 'things' AND version = 1");
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> new SchemaMigrations(db.dataSource(), MigrationTest.THINGS, CLOCK).migrate());
            assertTrue(e.getMessage().contains("V1"), e.getMessage());
            assertTrue(e.getMessage().contains("must never change"), e.getMessage());
        }
    }

    @Test
    void rollsBackAFailingMigrationAndRecordsNoVersionForIt() throws Exception {
        Migration good = Migration.load(MigrationTest.class, "V1__things.sql");
        // on PostgreSQL the whole transaction rolls back; on H2 DDL commits itself, so the proof that
        // counts everywhere is the missing version row (a DML step is rolled back on both)
        Migration bad = new Migration(
                2,
                "broken",
                "INSERT INTO things (name, created_at) "
                        + "VALUES ('x', CURRENT_TIMESTAMP);\nSELECT * FROM no_such_table;\n",
                "c2");
        try (TestDatabase db = TestDatabase.empty(engine)) {
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> new SchemaMigrations(db.dataSource(), "things", List.of(good, bad), CLOCK).migrate());
            assertTrue(e.getMessage().contains("things V2 (broken) failed and was rolled back"), e.getMessage());
            assertEquals(List.of(1), versions(db));
            assertEquals(0, count(db, "things"));
        }
    }

    @Test
    void nodesStartingTogetherOnOneDatabaseApplyEachMigrationOnce() throws Exception {
        Assumptions.assumeTrue(
                engine == TestDatabase.Engine.POSTGRESQL, "an H2 file is opened by one process only; no race there");
        // the sleep widens the window between reading the applied versions and recording a new one, in
        // which every node without the lock would run the CREATE TABLE and all but one would fail
        Migration slow = new Migration(1, "racers", "CREATE TABLE racers (id INT);\nSELECT pg_sleep(0.3);\n", "c1");
        int nodes = 4;
        try (TestDatabase db = TestDatabase.empty(engine)) {
            ExecutorService starts = Executors.newFixedThreadPool(nodes);
            try {
                CyclicBarrier together = new CyclicBarrier(nodes);
                List<Future<List<Integer>>> runs = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    runs.add(starts.submit(() -> {
                        together.await();
                        return new SchemaMigrations(db.dataSource(), "racers", List.of(slow), CLOCK).migrate();
                    }));
                }
                List<List<Integer>> applied = new ArrayList<>();
                for (Future<List<Integer>> run : runs) {
                    applied.add(run.get(60, TimeUnit.SECONDS));
                }
                assertEquals(1, applied.stream().filter(List.of(1)::equals).count(), applied.toString());
                assertEquals(nodes - 1, applied.stream().filter(List::isEmpty).count(), applied.toString());
            } finally {
                starts.shutdownNow();
            }
        }
    }

    @Test
    void refusesMigrationsWithAGapInTheirNumbers() {
        Migration v1 = Migration.load(MigrationTest.class, "V1__things.sql");
        Migration v3 = new Migration(3, "skipped two", "SELECT 1;\n", "c");
        try (TestDatabase db = TestDatabase.empty(engine)) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new SchemaMigrations(db.dataSource(), "things", List.of(v1, v3), CLOCK));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> tables(TestDatabase db) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<Integer> versions(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT version FROM schema_history WHERE track = 'things' ORDER BY version")) {
            List<Integer> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions;
        }
    }

    private static int count(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
