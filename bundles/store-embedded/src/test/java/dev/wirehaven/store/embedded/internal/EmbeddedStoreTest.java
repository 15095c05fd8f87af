package dev.wirehaven.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {

    @TempDir
    Path data;

    private EmbeddedStore open() throws Exception {
        return new EmbeddedStore(DatabaseLocation.inDataDirectory(data.toString()), 4, 5);
    }

    @Test
    void createsTheDatabaseInAnOwnerOnlyDirectoryUnderTheDataDirectory() throws Exception {
        EmbeddedStore store = open();
        try {
            Path db = data.resolve("db");
            assertTrue(Files.isRegularFile(db.resolve("wirehaven.mv.db")));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        } finally {
            store.close();
        }
    }

    @Test
    void restrictsAnExistingDatabaseDirectoryThatOthersCouldRead() throws Exception {
        Path db = Files.createDirectories(data.resolve("db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwxr-xr-x"));
        open().close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
    }

    @Test
    void committedRowsSurviveClosingAndReopening() throws Exception {
        EmbeddedStore first = open();
        try (Connection c = first.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id INT PRIMARY KEY, body VARCHAR(100))");
            s.execute("INSERT INTO note VALUES (1, 'kept')");
        }
        first.close();

        EmbeddedStore second = open();
        try (Connection c = second.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT body FROM note WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("kept", rs.getString(1));
            }
        } finally {
            second.close();
        }
    }

    @Test
    void aStandaloneProcessOpensTheSameDatabaseAsTheComponent() throws Exception {
        EmbeddedStore component = open();
        try (Connection c = component.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id INT PRIMARY KEY, body VARCHAR(100))");
            s.execute("INSERT INTO note VALUES (1, 'from the server')");
        }
        component.close();

        try (EmbeddedStore standalone = EmbeddedStore.openStandalone(data.toString());
                Connection c = standalone.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM note WHERE id = 1")) {
            assertTrue(rs.next());
            assertEquals("from the server", rs.getString(1));
        }
    }

    @Test
    void speaksPostgresqlDialectWithLowerCaseNamesAndNullsLast() throws Exception {
        EmbeddedStore store = open();
        try (Connection c = store.getConnection();
                Statement s = c.createStatement()) {
            // BIGSERIAL and ON CONFLICT are PostgreSQL syntax that plain H2 mode refuses
            s.execute("CREATE TABLE Sample (id BIGSERIAL PRIMARY KEY, Label VARCHAR(20) UNIQUE, rank_value INT)");
            s.execute("INSERT INTO Sample (Label, rank_value) VALUES ('a', NULL), ('b', 1)");
            s.execute("INSERT INTO Sample (Label, rank_value) VALUES ('b', 2) ON CONFLICT DO NOTHING");
            try (ResultSet rs =
                    s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_name = 'sample'")) {
                assertTrue(rs.next(), "unquoted identifiers are stored in lower case, as in PostgreSQL");
            }
            List<String> order = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT label FROM sample ORDER BY rank_value")) {
                while (rs.next()) {
                    order.add(rs.getString(1));
                }
            }
            assertEquals(List.of("b", "a"), order, "NULL sorts last in ascending order, as in PostgreSQL");
        } finally {
            store.close();
        }
    }

    @Test
    void returnsConnectionsToThePool() throws Exception {
        EmbeddedStore store = open();
        try {
            for (int i = 0; i < 10; i++) {
                try (Connection c = store.getConnection()) {
                    assertFalse(c.isClosed());
                }
            }
            assertEquals(0, store.activeConnections());
        } finally {
            store.close();
        }
    }

    @Test
    void refusesConnectionsOnceClosed() throws Exception {
        EmbeddedStore store = open();
        store.close();
        assertThrows(SQLException.class, store::getConnection);
    }

    @Test
    void releasesTheDatabaseFileOnCloseSoThatTheNextStartCanOpenIt() throws Exception {
        EmbeddedStore store = open();
        Path file = data.resolve("db").resolve("wirehaven.mv.db");
        // H2 locks the open file; in the same JVM a second lock attempt reports the overlap
        assertThrows(OverlappingFileLockException.class, () -> tryLock(file));
        store.close();
        tryLock(file);
    }

    @Test
    void closesWithoutAnErrorForH2ToTrace() throws Exception {
        EmbeddedStore store = open();
        try (Connection c = store.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id INT PRIMARY KEY)");
        }
        store.close();
        // H2 writes wirehaven.trace.db only when something failed
        assertFalse(Files.exists(data.resolve("db").resolve("wirehaven.trace.db")));
    }

    @Test
    void shutsTheDatabaseDownEvenWhileAConnectionIsStillLent() throws Exception {
        EmbeddedStore store = open();
        Connection lent = store.getConnection();
        store.close();
        assertTrue(lent.isClosed());
    }

    private static void tryLock(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            assertTrue(lock != null, "another process holds " + file);
        }
    }

    @Test
    void rejectsAPoolWithoutConnections() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new EmbeddedStore(DatabaseLocation.inDataDirectory(data.toString()), 0, 5));
        assertTrue(e.getMessage().contains("dev.wirehaven.store.embedded"), e.getMessage());
        assertTrue(e.getMessage().contains("max.connections"), e.getMessage());
    }

    @Test
    void explainsAPlaceWhereTheDatabaseDirectoryCannotBe() throws Exception {
        Files.writeString(data.resolve("db"), "not a directory");
        Exception e = assertThrows(java.io.IOException.class, this::open);
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void defaultsTheDataDirectoryWhenThePropertyIsUnset() {
        DatabaseLocation location = DatabaseLocation.inDataDirectory(null);
        assertEquals(Path.of("data").toAbsolutePath().normalize().resolve("db"), location.directory());
        assertTrue(location.jdbcUrl().startsWith("jdbc:h2:file:"));
        assertTrue(location.jdbcUrl().contains(";MODE=PostgreSQL;"));
    }
}
