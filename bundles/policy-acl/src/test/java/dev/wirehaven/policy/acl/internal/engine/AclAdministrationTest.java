package dev.wirehaven.policy.acl.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyCheck;
import dev.wirehaven.api.policy.PolicyInForce;
import dev.wirehaven.api.policy.PolicyProblem;
import dev.wirehaven.api.policy.PolicyRejection;
import dev.wirehaven.api.policy.PolicyStatement;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.engine.PolicyWatcher.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's view of the engine over a real file, the real watcher, parser and engine. */
class AclAdministrationTest {

    private static final Instant NOW = Instant.parse("2025-03-12T10:00:00Z");
    private static final String GOOD = """
            # the office
            host git 10.20.0.5
            rule git-ssh: allow group:engineers -> git tcp/22,443
            rule late: allow * -> git tcp/80 during daily 18:00-20:00 UTC
            rule no-smtp: deny * -> * tcp/25
            advertise lan: group:branches -> 10.30.0.0/16
            """;
    private static final String BAD = """
            host git 10.20.0.5
            rule git-ssh: allow group:engineers -> gti tcp/22
            rule web: allow * -> git tcp/70000
            """;

    @TempDir
    Path dir;

    private Path file;
    private ActivePolicy active;
    private AclEngine engine;
    private PolicyWatcher watcher;
    private AclAdministration admin;

    @BeforeEach
    void setUp() {
        file = dir.resolve("policy.acl");
        active = new ActivePolicy(file.toString());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        engine = new AclEngine(active, clock, Duration.ofMinutes(1));
        String me = System.getProperty("user.name");
        watcher = new PolicyWatcher(
                new PolicyFile(file, me, Set.copyOf(List.of(me, "root"))), false, active, clock, v -> {});
        admin = new AclAdministration(active, engine);
    }

    private void write(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private Outcome settle() {
        assertEquals(Outcome.SETTLING, watcher.reloadIfChanged());
        return watcher.reloadIfChanged();
    }

    @Test
    void beforeAnyFileNothingIsInForceAndNoRuleDecides() throws Exception {
        PolicyInForce none = admin.inForce();
        assertEquals(0, none.version());
        assertNull(none.since());
        assertEquals("", none.text());
        assertTrue(none.rules().isEmpty());
        assertEquals(file.toString(), none.source());
        assertTrue(admin.rejection().isEmpty());
        PolicyCheck check = admin.check("bob", Set.of(), InetAddress.getByName("10.20.0.5"), Protocol.TCP, 22);
        assertEquals(Verdict.NOT_APPLICABLE, check.verdict());
        assertNull(check.rule());
        assertEquals("acl", admin.engine());
    }

    @Test
    void thePolicyInForceIsTheFileAsLoadedWithItsRulesInOrder() throws Exception {
        write(GOOD);
        assertEquals(Outcome.INSTALLED, watcher.loadNow());
        PolicyInForce p = admin.inForce();
        assertEquals(1, p.version());
        assertEquals(NOW, p.since());
        assertEquals(GOOD, p.text());
        assertEquals(
                List.of(
                        new PolicyStatement(3, "git-ssh", "rule git-ssh: allow group:engineers -> git tcp/22,443"),
                        new PolicyStatement(4, "late", "rule late: allow * -> git tcp/80 during daily 18:00-20:00 UTC"),
                        new PolicyStatement(5, "no-smtp", "rule no-smtp: deny * -> * tcp/25")),
                p.rules());
        assertEquals(
                List.of(new PolicyStatement(6, "lan", "advertise lan: group:branches -> 10.30.0.0/16")), p.others());
    }

    @Test
    void anInvalidEditIsTheRejectionByLineAndField_andTheTextInForceStaysTheOld() throws Exception {
        write(GOOD);
        watcher.loadNow();
        write(BAD);
        assertEquals(Outcome.REJECTED, settle());

        PolicyRejection r = admin.rejection().orElseThrow();
        assertEquals(NOW, r.at());
        assertEquals(2, r.problems().size(), r.problems().toString());
        PolicyProblem first = r.problems().get(0);
        assertEquals(file.toString(), first.source());
        assertEquals(2, first.line());
        assertEquals("where", first.field());
        assertTrue(first.problem().contains("unknown name 'gti'"), first.problem());
        assertTrue(first.fix().contains("define it with 'host gti ADDRESS'"), first.fix());
        assertEquals(3, r.problems().get(1).line());
        assertEquals("ports", r.problems().get(1).field());
        // the problems print as the engine logs them
        assertEquals(
                active.rejection().orElseThrow().messages().get(1),
                r.problems().get(1).toString());
        assertEquals(1, admin.inForce().version());
        assertEquals(GOOD, admin.inForce().text());

        write(GOOD + "rule web: allow * -> git tcp/443\n");
        assertEquals(Outcome.INSTALLED, settle());
        assertTrue(admin.rejection().isEmpty());
        assertEquals(2, admin.inForce().version());
    }

    @Test
    void aRefusedFileIsOneProblemOfTheWholeFileWithItsFix() throws Exception {
        write(GOOD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(Outcome.REFUSED, watcher.loadNow());
        PolicyProblem p = admin.rejection().orElseThrow().problems().get(0);
        assertEquals(0, p.line());
        assertEquals("file", p.field());
        assertTrue(p.problem().contains("has the permissions rw-rw-rw-"), p.problem());
        assertEquals("check its content, then chmod go-w " + file, p.fix());
        assertEquals(0, admin.inForce().version());
    }

    @Test
    void validateReportsEveryMistakeAsTheWatcherWould_andChangesNothing() throws Exception {
        write(GOOD);
        watcher.loadNow();
        List<PolicyProblem> problems = admin.validate(BAD);
        assertEquals(List.of(2, 3), problems.stream().map(PolicyProblem::line).toList());
        assertEquals(
                file + ":3: ports: 'tcp/70000' is outside 1-65535; use ports from 1 to 65535",
                problems.get(1).toString());
        assertTrue(admin.validate(GOOD + "rule web: allow * -> git tcp/443\n").isEmpty());
        assertTrue(admin.validate("").isEmpty(), "an empty file is valid: it has no rules");

        assertEquals(1, admin.inForce().version());
        assertEquals(GOOD, admin.inForce().text());
        assertTrue(admin.rejection().isEmpty());
        assertEquals(Outcome.UNCHANGED, watcher.reloadIfChanged(), "the file was not touched");
    }

    @Test
    void aCandidateLargerThanTheWatcherReadsIsOneProblemOfTheWholeFile() {
        List<PolicyProblem> problems = admin.validate("#" + "x".repeat(PolicyFile.MAX_BYTES));
        assertEquals(1, problems.size());
        assertEquals(0, problems.get(0).line());
        assertTrue(
                problems.get(0).problem().contains("larger than 1024 KiB"),
                problems.get(0).problem());
    }

    @Test
    void checkNamesTheRuleThatDecides_andAgreesWithTheEngine() throws Exception {
        write(GOOD);
        watcher.loadNow();
        InetAddress git = InetAddress.getByName("10.20.0.5");
        PolicyCheck allowed = admin.check("bob", Set.of("engineers"), git, Protocol.TCP, 22);
        assertEquals(Verdict.ALLOW, allowed.verdict());
        assertEquals("git-ssh", allowed.rule().name());
        assertEquals(3, allowed.rule().line());
        assertEquals(Instant.parse("2025-03-12T18:00:00Z"), allowed.validUntil(), "when 'late' opens");

        PolicyCheck denied = admin.check("eve", Set.of(), InetAddress.getByName("192.0.2.1"), Protocol.TCP, 25);
        assertEquals(Verdict.DENY, denied.verdict());
        assertEquals("no-smtp", denied.rule().name());

        PolicyCheck none = admin.check("eve", Set.of(), git, Protocol.TCP, 22);
        assertEquals(Verdict.NOT_APPLICABLE, none.verdict());
        assertNull(none.rule());

        for (String user : List.of("bob", "eve")) {
            Set<String> groups = user.equals("bob") ? Set.of("engineers") : Set.of();
            for (int port : new int[] {22, 25, 80, 443}) {
                Decision d = engine.decide(
                        new ResourceAccess(new Identity(user, groups, Map.of()), "s1", Protocol.TCP, git, port));
                assertEquals(
                        d.verdict(),
                        admin.check(user, groups, git, Protocol.TCP, port).verdict(),
                        user + " tcp/" + port);
            }
        }
    }

    @Test
    void checkRefusesAPortThatDoesNotFitTheProtocol() throws Exception {
        InetAddress git = InetAddress.getByName("10.20.0.5");
        assertThrows(IllegalArgumentException.class, () -> admin.check("bob", Set.of(), git, Protocol.TCP, 0));
        assertThrows(IllegalArgumentException.class, () -> admin.check("bob", Set.of(), git, Protocol.UDP, 65536));
        assertThrows(IllegalArgumentException.class, () -> admin.check("bob", Set.of(), git, Protocol.ICMP, 7));
        assertEquals(
                Verdict.NOT_APPLICABLE,
                admin.check("bob", Set.of(), git, Protocol.ICMP, 0).verdict());
    }
}
