package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes with one database: each has its own policy file, watcher and policy in force, and
 * their {@link SharedPolicy} rounds keep the files in line. Driven one poll at a time, no thread.
 */
class SharedPolicyTest {

    private static final String GOOD = "rule ssh: allow group:ops -> 10.0.0.0/8 tcp/22\n";
    private static final String BETTER = GOOD + "rule web: allow * -> 10.0.0.0/8 tcp/443\n";
    private static final String BAD = GOOD + "rule web: allow * -> 10.0.0.0/8 tcp/4430000\n";
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    private final PolicyDocuments documents;

    SharedPolicyTest() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
        documents = new PolicyDocuments(h2);
    }

    /** One node: its file, its policy in force, its watcher and its share of the cluster's policy. */
    private final class Node {
        final Path file;
        final ActivePolicy active;
        final PolicyWatcher watcher;
        final SharedPolicy shared;

        Node(String name, Clock clock) {
            file = dir.resolve(name + ".acl");
            active = new ActivePolicy(file.toString());
            String me = System.getProperty("user.name");
            PolicyFile policyFile = new PolicyFile(file, me, Set.copyOf(List.of(me, "root")));
            watcher = new PolicyWatcher(policyFile, false, active, clock, v -> {});
            shared = new SharedPolicy(documents, policyFile, active, clock, name);
        }

        Node start() {
            watcher.loadNow();
            shared.start();
            return this;
        }

        /** What the scheduler does a few times: polls of the file, each followed by a round. */
        void polls(int n) {
            for (int i = 0; i < n; i++) {
                watcher.reloadIfChanged();
                shared.round();
            }
        }

        void edit(String text, Instant at) throws Exception {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
            Files.setLastModifiedTime(file, FileTime.from(at));
        }

        String inForce() {
            return active.current().text();
        }
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void aValidEditOnOneNodeIsInForceOnTheOtherAfterAFewPolls() throws Exception {
        Node a = new Node("a", at(T0));
        a.edit(GOOD, T0.minusSeconds(60));
        a.start();
        Node b = new Node("b", at(T0));
        b.edit(GOOD, T0.minusSeconds(60));
        b.start();
        assertEquals(1, documents.read().orElseThrow().version(), "the first node published its file");

        a.edit(BETTER, T0);
        a.polls(2);
        assertEquals(BETTER, a.inForce());
        assertEquals(2, documents.read().orElseThrow().version());

        b.polls(3); // a round writes it into b's file, two polls load it
        assertEquals(BETTER, b.inForce());
        assertEquals(BETTER, Files.readString(b.file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(b.file)));
        b.polls(2);
        a.polls(2);
        assertEquals(2, documents.read().orElseThrow().version(), "taken, not published back");
    }

    @Test
    void anEditWithMistakesIsNotGivenToTheOtherNodes() throws Exception {
        Node a = new Node("a", at(T0));
        a.edit(GOOD, T0.minusSeconds(60));
        a.start();

        a.edit(BAD, T0);
        a.polls(3);

        assertEquals(GOOD, a.inForce());
        assertEquals(GOOD, documents.read().orElseThrow().text());
        assertEquals(1, documents.read().orElseThrow().version());
    }

    @Test
    void aNodeThatJoinsWithoutAFileOrWithAnOlderOneTakesTheClustersPolicy() throws Exception {
        Node a = new Node("a", at(T0));
        a.edit(BETTER, T0);
        a.start();

        Node fresh = new Node("fresh", at(T0.plusSeconds(5))).start();
        fresh.polls(2);
        assertEquals(BETTER, fresh.inForce());

        Node stale = new Node("stale", at(T0.plusSeconds(5)));
        stale.edit(GOOD, T0.minusSeconds(3600)); // last changed before the cluster's policy
        stale.start();
        stale.polls(2);
        assertEquals(BETTER, stale.inForce());
        assertEquals(1, documents.read().orElseThrow().version());
    }

    @Test
    void aFileEditedWhileItsNodeWasDownBecomesTheClustersPolicyAtItsStart() throws Exception {
        Node a = new Node("a", at(T0));
        a.edit(GOOD, T0);
        a.start();

        Node b = new Node("b", at(T0.plusSeconds(60)));
        b.edit(BETTER, T0.plusSeconds(30)); // changed after the cluster's policy was published
        b.start();
        assertEquals(BETTER, documents.read().orElseThrow().text());
        assertTrue(documents.read().orElseThrow().changedBy().equals("b"));

        a.polls(3);
        assertEquals(BETTER, a.inForce());
    }
}
