package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The store through a failover of its database: the primary crashes, the standby is promoted, and the
 * store moves to the new primary by itself (issue 13: "logins work again within 10 s of the
 * promotion").
 *
 * <pre>
 *   PostgresStore ── jdbc:postgresql://127.0.0.1:P,127.0.0.1:S/wirehaven?targetServerType=primary
 *        │
 *        ├──▶ P  primary ── WAL stream ──▶ S  standby        before
 *        │    P  crashed (pg_ctl -m immediate)
 *        └──────────────────────────────▶ S  promoted         after (pg_ctl promote)
 * </pre>
 *
 * <p>The time from the promotion to the first write that succeeds through the store is printed
 * ({@code promotion: writes through the store again after N ms}) and written in the README; the test
 * asserts only a bound that keeps a hang from blocking the build, not the goal.
 */
class PromotionTest {

    private static final String DATABASE = "wirehaven";
    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";
    private static final String CHANNEL = "wirehaven_promotion_test";
    /** The bound of the wait for the first write after the promotion: a failure, not a stalled build. */
    private static final Duration HANG = Duration.ofSeconds(60);

    private static final int POOL_SIZE = 4;

    private ReplicatedPostgres postgres;
    private PostgresStore store;

    @BeforeEach
    void startPrimaryAndStandby() throws Exception {
        postgres = ReplicatedPostgres.start(DATABASE);
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.primary().port() + ",127.0.0.1:"
                + postgres.standby().port() + "/" + DATABASE;
        // the store's defaults: 5 s wait, targetServerType=primary and hostRecheckSeconds=2 added
        store = new PostgresStore(
                StoreSettings.of(url, ReplicatedPostgres.SUPERUSER, "", POOL_SIZE, 5, null, WHERE), null);
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void afterThePrimaryCrashesAndTheStandbyIsPromotedTheStoreWritesToTheNewPrimaryWithTheReplicatedRows()
            throws Exception {
        // --- before: the store's connections go to the primary, and what they write reaches the standby
        assertEquals(List.of(postgres.primary().port(), 0), serverOfTheStore());
        try (Connection c = store.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id INT PRIMARY KEY, body TEXT NOT NULL)");
        }
        for (int id = 1; id <= 3; id++) {
            write(id, "before the crash " + id);
        }
        postgres.awaitReplayed();
        try (Connection standby = postgres.standby().connect(DATABASE)) {
            assertEquals(
                    List.of("before the crash 1", "before the crash 2", "before the crash 3"),
                    notes(standby),
                    "the standby reads what the primary wrote");
        }

        // --- a listener held across the crash gets an error, not silence: that is what makes the server's
        // listener (PostgresWakeups) close it and listen again on a new connection
        Connection heldListener = store.getConnection();
        try (Statement s = heldListener.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }

        // --- the primary crashes: with no primary left a write fails within connection.wait.seconds
        postgres.crashPrimary();
        assertThrows(
                SQLException.class,
                () -> heldListener.unwrap(PGConnection.class).getNotifications(5_000),
                "a listening connection whose server died");
        heldListener.close();
        // a connection the pool lent just before the crash is not checked again (Hikari trusts one used in the
        // last 500 ms): its caller gets pgjdbc's I/O error and the pool retires it; after those, callers wait for
        // a new connection, which finds no primary, and get the store's error after connection.wait.seconds
        List<String> refusals = new ArrayList<>();
        assertTimeoutPreemptively(HANG, () -> {
            for (int attempt = 0; attempt <= POOL_SIZE; attempt++) {
                SQLException e = assertThrows(SQLException.class, () -> write(4, "while there is no primary"));
                refusals.add(e.getMessage());
                if (e.getMessage().contains("within 5 s (connection.wait.seconds)")) {
                    return;
                }
            }
        });
        assertTrue(
                refusals.get(refusals.size() - 1).contains("within 5 s (connection.wait.seconds)"),
                "a broken connection is lent at most once: " + refusals);

        // --- the standby is promoted: the next write that succeeds goes to it, with no restart of the store
        long promoting = System.nanoTime();
        postgres.promoteStandby();
        long promoted = System.nanoTime();
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(HANG, () -> {
            while (true) {
                try {
                    write(5, "after the promotion");
                    return;
                } catch (SQLException notYet) {
                    failures.add(notYet.getMessage());
                    // a caller that got an error tries again soon, as a client retries a login
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
        });
        long writing = System.nanoTime();
        System.out.println("promotion: writes through the store again after "
                + TimeUnit.NANOSECONDS.toMillis(writing - promoting) + " ms (pg_ctl promote took "
                + TimeUnit.NANOSECONDS.toMillis(promoted - promoting) + " ms; " + failures.size()
                + " failed attempts before"
                + (failures.isEmpty() ? "" : ", the last: " + failures.get(failures.size() - 1))
                + ")");
        assertEquals(List.of(postgres.standby().port(), 0), serverOfTheStore(), "the new primary, out of recovery");

        // --- what was written before the crash and replicated is there
        try (Connection c = store.getConnection()) {
            assertEquals(
                    List.of("before the crash 1", "before the crash 2", "before the crash 3", "after the promotion"),
                    notes(c));
        }

        // --- LISTEN/NOTIFY works on the new primary: one connection of the store listens, another notifies
        try (Connection listener = store.getConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            try (Connection other = store.getConnection();
                    Statement s = other.createStatement()) {
                s.execute("NOTIFY " + CHANNEL + ", 'after the promotion'");
            }
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertNotNull(received, "a notification within 10 s");
            assertEquals(1, received.length);
            assertEquals(CHANNEL, received[0].getName());
            assertEquals("after the promotion", received[0].getParameter());
            try (Statement s = listener.createStatement()) {
                s.execute("UNLISTEN *");
            }
        }
        assertEquals(0, store.activeConnections(), "every connection went back to the pool");
    }

    /** The port of the server that a connection of the store reaches, and 1 if it is in recovery (0 if not). */
    private List<Integer> serverOfTheStore() throws SQLException {
        try (Connection c = store.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
            assertTrue(rs.next());
            return List.of(rs.getInt(1), rs.getBoolean(2) ? 1 : 0);
        }
    }

    private void write(int id, String body) throws SQLException {
        try (Connection c = store.getConnection();
                PreparedStatement p = c.prepareStatement("INSERT INTO note (id, body) VALUES (?, ?)")) {
            p.setInt(1, id);
            p.setString(2, body);
            p.executeUpdate();
        }
    }

    private static List<String> notes(Connection c) throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM note ORDER BY id")) {
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
        }
        return bodies;
    }
}
