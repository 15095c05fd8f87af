package dev.wirehaven.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that returned survives a {@code kill -9} of the process: a second JVM opens the database
 * with the store's own URL, inserts and commits rows one by one, printing each id once its commit has
 * returned; the test kills it (SIGKILL, no shutdown hook runs) while it writes, opens the database
 * again and finds every printed id. With H2's default WRITE_DELAY the last ~0.5 s of them were gone.
 */
class AcknowledgedCommitsTest {

    /** The writer, run in its own JVM: {@code Writer <jdbc url>}. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
                try (Statement s = c.createStatement()) {
                    s.execute("create table if not exists acked (id bigint primary key)");
                }
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("insert into acked (id) values (?)")) {
                    for (long id = 0; ; id++) {
                        insert.setLong(1, id);
                        insert.executeUpdate();
                        c.commit();
                        System.out.println(id);
                        System.out.flush();
                    }
                }
            }
        }
    }

    @Test
    void everyCommitThatReturnedIsThereAfterAKill(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + DatabaseLocation.SETTINGS;
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Writer.class.getName(),
                        url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Set<Long> acknowledged = new HashSet<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            // enough commits that the default write delay would have left some of them in memory
            while (acknowledged.size() < 3000) {
                String line = out.readLine();
                assertTrue(line != null, "the writer stopped early");
                acknowledged.add(Long.parseLong(line.strip()));
            }
            writer.destroyForcibly(); // SIGKILL
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        Set<Long> found = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from acked")) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        Set<Long> lost = new HashSet<>(acknowledged);
        lost.removeAll(found);
        assertEquals(
                0,
                lost.size(),
                lost.size() + " of " + acknowledged.size() + " acknowledged commits lost, the first "
                        + lost.stream().min(Long::compare).orElse(-1L));
    }
}
