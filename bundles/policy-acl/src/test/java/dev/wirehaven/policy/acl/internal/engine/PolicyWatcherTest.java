package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.policy.acl.internal.engine.PolicyWatcher.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher as the scheduler drives it, one poll per call: no sleeps, no thread. */
class PolicyWatcherTest {

    private static final String GOOD = "rule ssh: allow group:ops -> 10.0.0.0/8 tcp/22\n";
    private static final String BETTER = GOOD + "rule web: allow * -> 10.0.0.0/8 tcp/443\n";
    private static final String BAD = GOOD + "rule web: allow * -> 10.0.0.0/8 tcp/4430000\n";

    @TempDir
    Path dir;

    private Path file;
    private ActivePolicy active;
    private final List<Long> announced = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2025-03-12T10:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void setUp() {
        file = dir.resolve("policy.acl");
        active = new ActivePolicy(file.toString());
    }

    private PolicyWatcher watcher(PolicyFile policyFile, boolean configured) {
        return new PolicyWatcher(policyFile, configured, active, clock, v -> announced.add(v.number()));
    }

    /** A watcher of {@link #file}, which the user running the tests may own. */
    private PolicyWatcher watcher() {
        String me = System.getProperty("user.name");
        return watcher(new PolicyFile(file, me, Set.copyOf(List.of(me, "root"))), false);
    }

    private void write(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** What two polls do: the first sees a change, the second acts on it once it has settled. */
    private static Outcome settle(PolicyWatcher w) {
        assertEquals(Outcome.SETTLING, w.reloadIfChanged());
        return w.reloadIfChanged();
    }

    @Test
    void theFirstLoadActsAtOnceAndAValidEditRaisesTheVersion() throws Exception {
        write(GOOD);
        PolicyWatcher w = watcher();
        assertEquals(Outcome.INSTALLED, w.loadNow());
        assertEquals(1, active.current().number());
        assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
        write(BETTER);
        assertEquals(Outcome.INSTALLED, settle(w));
        assertEquals(2, active.current().number());
        assertEquals(2, active.current().policy().rules().size());
        assertEquals(List.of(1L, 2L), announced);
        assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
    }

    @Test
    void aChangeIsActedOnOnlyOnceItHasStayedTheSameForAPoll() throws Exception {
        write(GOOD);
        PolicyWatcher w = watcher();
        w.loadNow();
        write("rule ssh: allow group:ops"); // an editor half-way through writing in place
        assertEquals(Outcome.SETTLING, w.reloadIfChanged());
        write(BETTER);
        assertEquals(Outcome.SETTLING, w.reloadIfChanged());
        assertEquals(Outcome.INSTALLED, w.reloadIfChanged());
        assertTrue(active.rejection().isEmpty(), "the half-written file was never judged");
        assertEquals(2, active.current().number());
    }

    @Test
    void anInvalidEditKeepsThePolicyInForceAndIsLoggedOnce() throws Exception {
        write(GOOD);
        PolicyWatcher w = watcher();
        w.loadNow();
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            write(BAD);
            assertEquals(Outcome.REJECTED, settle(w));
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(1, active.current().number());
            assertEquals(1, active.current().policy().rules().size());
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains(file + ":2: ports: 'tcp/4430000' is outside 1-65535"), errors.get(0));
            assertTrue(errors.get(0).contains("Version 1 (loaded 2025-03-12T10:00:00Z) stays in force"), errors.get(0));
            assertEquals(
                    List.of(file + ":2: ports: 'tcp/4430000' is outside 1-65535; use ports from 1 to 65535"),
                    active.rejection().orElseThrow().messages());
            // another mistake is another ERROR; the fix clears the rejection and is the next version
            write(BAD + "oops\n");
            assertEquals(Outcome.REJECTED, settle(w));
            assertEquals(2, log.lines("ERROR").size());
            write(BETTER);
            assertEquals(Outcome.INSTALLED, settle(w));
            assertEquals(2, active.current().number());
            assertTrue(active.rejection().isEmpty());
        }
        assertEquals(List.of(1L, 2L), announced);
    }

    @Test
    void aFileThatOthersMayWriteIsRefusedUntilItsPermissionsAreFixed() throws Exception {
        write(GOOD);
        PolicyWatcher w = watcher();
        w.loadNow();
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            write(BETTER);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            assertEquals(Outcome.REFUSED, settle(w));
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(1, active.current().number());
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), log.lines().toString());
            assertTrue(errors.get(0).contains("has the permissions rw-rw-rw-"), errors.get(0));
            assertTrue(errors.get(0).contains("chmod go-w " + file), errors.get(0));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
            assertEquals(Outcome.REFUSED, settle(w), "group-writable is refused too");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertEquals(Outcome.INSTALLED, settle(w));
            assertEquals(2, active.current().number());
        }
    }

    @Test
    void aFileOfAnotherOwnerIsRefused() throws Exception {
        write(GOOD);
        // the tests may run as root, whose files are trusted: here only "wirehaven" is, so the file's owner is not
        PolicyWatcher w = watcher(new PolicyFile(file, "wirehaven", Set.of("wirehaven")), true);
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            assertEquals(Outcome.REFUSED, w.loadNow());
            assertEquals(0, active.current().number());
            String owner = Files.getOwner(file).getName();
            assertTrue(
                    log.lines("ERROR").get(0).contains("belongs to " + owner + ", not to wirehaven"),
                    log.lines().toString());
            assertTrue(
                    log.lines("ERROR").get(0).contains("chown wirehaven " + file),
                    log.lines().toString());
        }
    }

    @Test
    void aMissingFileAfterAGoodOneKeepsThePolicyAndWarnsOnce() throws Exception {
        write(GOOD);
        PolicyWatcher w = watcher();
        w.loadNow();
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            Files.delete(file);
            assertEquals(Outcome.MISSING, settle(w));
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(1, active.current().number());
            assertEquals(1, log.lines("WARN").size(), log.lines().toString());
            assertTrue(log.lines("WARN").get(0).contains("is gone"));
            write(BETTER);
            assertEquals(Outcome.INSTALLED, settle(w));
            assertEquals(2, active.current().number());
        }
    }

    @Test
    void withoutAFileTheEngineHasNoRulesAndSaysSoOnce() throws Exception {
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            PolicyWatcher w = watcher();
            assertEquals(Outcome.MISSING, w.loadNow());
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(Outcome.UNCHANGED, w.reloadIfChanged());
            assertEquals(0, active.current().number());
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.lines("INFO").get(0).contains("answers NOT_APPLICABLE to every request"));
        }
        try (TestLog log = new TestLog(PolicyWatcher.class)) {
            String me = System.getProperty("user.name");
            watcher(new PolicyFile(file, me, Set.of(me)), true).loadNow();
            assertEquals(1, log.lines("WARN").size(), "a configured file that is missing is a warning");
        }
    }

    @Test
    void aDirectoryOrAnOversizedFileIsRefused() throws Exception {
        Files.createDirectory(file);
        assertEquals(Outcome.REFUSED, watcher().loadNow());
        Files.delete(file);
        write("#".repeat(PolicyFile.MAX_BYTES + 1));
        assertEquals(Outcome.REFUSED, watcher().loadNow());
        assertTrue(active.rejection().orElseThrow().messages().get(0).contains("is larger than"));
    }
}
