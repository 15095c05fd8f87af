package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.store.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store against a real PostgreSQL: the throwaway server that the support test jar starts from the
 * installed binaries (these tests are skipped where there are none). It trusts its superuser, so a
 * configured password is sent and ignored: what is proven about passwords is how the file is checked
 * and that the password shows nowhere.
 */
class PostgresStoreTest {

    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";
    private static final String SECRET = "n0t-in-any-l0g";

    @TempDir
    Path dir;

    private TestDatabase database;
    private int port;
    private String name;
    private String user;

    @BeforeEach
    void database() {
        database = TestDatabase.empty(TestDatabase.Engine.POSTGRESQL);
        PGSimpleDataSource real = (PGSimpleDataSource) database.dataSource();
        port = real.getPortNumbers()[0];
        name = real.getDatabaseName();
        user = real.getUser();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.close();
    }

    private Path passwordFile(String mode) throws IOException {
        Path f = dir.resolve("db.password");
        Files.writeString(f, SECRET + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private StoreSettings settings(String url, Path passwordFile, int waitSeconds) {
        return StoreSettings.of(
                url, user, passwordFile == null ? "" : passwordFile.toString(), 4, waitSeconds, null, WHERE);
    }

    private static String one(Connections store, String sql) throws SQLException {
        try (Connection c = store.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** Where a query gets its connection: the store under test. */
    private interface Connections {
        Connection getConnection() throws SQLException;
    }

    @Test
    void connectionsComeFromThePoolAndQueriesRun() throws Exception {
        Path pw = passwordFile("rw-------");
        try (EveryLog logs = new EveryLog()) {
            PostgresStore store = new PostgresStore(
                    settings("jdbc:postgresql://127.0.0.1:" + port + "/" + name, pw, 5), Files.getOwner(pw));
            try {
                assertEquals(name, one(store::getConnection, "SELECT current_database()"));
                try (Connection c = store.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE note (id INT PRIMARY KEY, body TEXT)");
                    s.execute("INSERT INTO note VALUES (1, 'kept')");
                }
                assertEquals("kept", one(store::getConnection, "SELECT body FROM note WHERE id = 1"));
                assertEquals(0, store.activeConnections());
                assertFalse(store.toString().contains(SECRET), store.toString());
            } finally {
                store.close();
            }
            String log = logs.text();
            assertTrue(log.contains("PostgreSQL store at jdbc:postgresql://127.0.0.1:" + port), log);
            assertTrue(log.contains("PostgreSQL 1"), "the server's version at activation: " + log);
            assertTrue(log.contains("up to 4 connections"), log);
            assertFalse(log.contains(SECRET), log);
        }
    }

    @Test
    void newConnectionsAskForThePrimaryAndAClosedFirstHostIsPassedOver() throws Exception {
        try (TcpRelay nothing = TcpRelay.closedPort()) {
            PostgresStore store = new PostgresStore(
                    settings(
                            "jdbc:postgresql://127.0.0.1:" + nothing.port() + ",127.0.0.1:" + port + "/" + name,
                            null,
                            5),
                    null);
            try {
                assertTrue(store.toString().contains("targetServerType=primary"), store.toString());
                assertEquals(String.valueOf(port), one(store::getConnection, "SELECT inet_server_port()"));
                assertEquals("f", one(store::getConnection, "SELECT pg_is_in_recovery()"));
            } finally {
                store.close();
            }
        }
    }

    @Test
    void aGroupReadablePasswordFileStopsActivationWithoutShowingThePassword() throws Exception {
        Path pw = passwordFile("rw-r-----");
        try (EveryLog logs = new EveryLog()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new PostgresStore(
                            settings("jdbc:postgresql://127.0.0.1:" + port + "/" + name, pw, 5), Files.getOwner(pw)));
            assertTrue(e.getMessage().startsWith(WHERE + ": password.file " + pw), e.getMessage());
            assertTrue(e.getMessage().contains("chmod 600 " + pw), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertFalse(logs.text().contains(SECRET), logs.text());
        }
    }

    @Test
    void whileTheDatabaseIsUnreachableCallersGetAnErrorAndOnceItAnswersConnections() throws Exception {
        try (TcpRelay database = TcpRelay.closedPort();
                EveryLog logs = new EveryLog()) {
            String url = "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + name;
            // activation does not need the database
            PostgresStore store = new PostgresStore(settings(url, passwordFile("rw-------"), 1), null);
            try {
                assertTrue(
                        logs.lines().stream()
                                .anyMatch(l -> l.startsWith("WARN ")
                                        && l.contains("PostgreSQL store at " + url + "?targetServerType=primary")
                                        && l.contains("not reachable now")),
                        logs.text());

                // the wait is bounded by connection.wait.seconds (1 s here); the guard only keeps a hang from
                // stalling the build
                SQLException refused = assertTimeoutPreemptively(
                        Duration.ofSeconds(30), () -> assertThrows(SQLException.class, store::getConnection));
                assertTrue(refused.getMessage().contains("PostgreSQL store at " + url), refused.getMessage());
                assertTrue(refused.getMessage().contains("within 1 s (connection.wait.seconds)"), refused.getMessage());
                assertTrue(refused.getMessage().contains("refused"), "pgjdbc's reason: " + refused.getMessage());

                database.open(port);

                // no restart: the pool's background attempts reach it; each call waits at most 1 s
                String reached = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    while (true) {
                        try {
                            return one(store::getConnection, "SELECT current_database()");
                        } catch (SQLException stillDown) {
                            // the pool retries with a backoff of up to a few seconds
                        }
                    }
                });
                assertEquals(name, reached);
            } finally {
                store.close();
            }
            assertFalse(logs.text().contains(SECRET), logs.text());
        }
    }
}
