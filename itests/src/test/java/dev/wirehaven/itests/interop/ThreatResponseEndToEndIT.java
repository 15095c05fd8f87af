package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Detections act: password guessing from one address gets that address blocked, and a blocked address
 * really can reach neither the control API nor complete a WireGuard handshake, while everyone else
 * goes on; an operator's undo at the server's shell lets it in at once; a block that runs its time
 * lets it in by itself; a disabled user cannot log in until the operator undoes it.
 *
 * <pre>
 *   ns a: alice (control API client) ---- 198.18.31.0/24 --+
 *                                                          +-- ns s: server (bin/wirehaven with its shell)
 *   ns m: mallory (curl, wireguard-go) -- 198.18.32.0/24 --+     monitor-threats in deploy/, responses in bundle/
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreatResponseEndToEndIT {

    private static final String S_TO_A = "198.18.31.1";
    private static final String A_ADDRESS = "198.18.31.2";
    private static final String S_TO_M = "198.18.32.1";
    private static final String M_ADDRESS = "198.18.32.2";
    private static final String SERVER_TUNNEL = "10.11.0.1";
    /** Outside the session pool (10.11.0.0/25): a static peer's address is never leased. */
    private static final String MALLORY_TUNNEL = "10.11.0.200";

    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    /** Failed logins from one source that make a finding, in the test's configuration of the detector. */
    private static final int GUESSES = 5;
    /** How long the detector's block lasts here: short enough to watch it expire. */
    private static final Duration BLOCK = Duration.ofSeconds(30);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The detector hears of a failure through the sink queue: well within a second; the slack is for a loaded machine. */
    private static final Duration REACTION = Duration.ofSeconds(15);
    /** wireguard-go retries a handshake every REKEY_TIMEOUT (5 s) plus jitter. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(25);

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "wht" + id;
    private final String malloryIface = "whm" + id;

    private Path logDir;
    private Path work;
    private Netns nsServer;
    private Netns nsAlice;
    private Netns nsMallory;
    private NetnsServer server;
    private Api alice;
    private Api mallory;
    private String serverPublicKey;
    private WgSide malloryWg;

    @BeforeAll
    void startTheServerWithItsDetectors() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        assumeTrue(Command.which("wireguard-go") != null, "wireguard-go is not installed");
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "threats"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsAlice = Netns.create("a");
        nsMallory = Netns.create("m");
        Topology.link(nsServer, S_TO_A, nsAlice, A_ADDRESS, 24);
        Topology.link(nsServer, S_TO_M, nsMallory, M_ADDRESS, 24);

        malloryWg = new WgSide(nsMallory, malloryIface, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        // mallory also holds a static peer's key: the handshake that a block must stop
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = " + SERVER_TUNNEL + "/24\n"
                        + "peers = " + malloryWg.publicKey + " allowed-ips " + MALLORY_TUNNEL + "/32\n");
        server.writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + serverIface + "\nsubnet.v4 = 10.11.0.0/25\nroutes = 10.11.0.0/24\n"
                        // the login lockout would answer 429 before the detector's block: keep it out of the way
                        + "auth.failures = 100\n"
                        // every guess here is a new connection request from mallory's one address
                        + "pending.max.source = 100\nrequest.burst = 1000\n");
        server.writeEtc(
                "dev.wirehaven.threats.password.guessing.cfg",
                "source.threshold = " + GUESSES + "\nsource.response.duration = " + BLOCK.toSeconds() + "s\n");
        server.admin(
                        "user",
                        "add",
                        "alice",
                        "--password-file",
                        secretFile("alice", "alice-password").toString())
                .requireOk();

        server.startWithShell(HTTP_PORT, HTTPS_PORT);
        server.await(Pattern.compile("Session flow serving WireGuard interface " + serverIface), START_TIMEOUT);
        serverPublicKey = Eventually.await(
                "the server's interface answers wg",
                START_TIMEOUT,
                () -> nsServer.exec(10, java.util.Map.of(), "wg", "show", serverIface, "public-key")
                        .stdout()
                        .trim(),
                key -> key.length() == 44);
        alice = new Api(nsAlice, "https://" + S_TO_A + ":" + HTTPS_PORT);
        mallory = new Api(nsMallory, "https://" + S_TO_M + ":" + HTTPS_PORT);
        Eventually.await(
                "the detectors are deployed",
                START_TIMEOUT,
                () -> server.output(),
                out -> out.contains("Bound monitoring sink threats"));
    }

    @AfterAll
    void stopEverything() throws IOException {
        for (Netns ns : new Netns[] {nsAlice, nsMallory, nsServer}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    // ---- 1. before anything: mallory's address reaches both --------------------------------------

    @Test
    @Order(1)
    void anAddressThatDidNothingReachesTheApiAndCompletesAHandshake() throws IOException {
        assertEquals(201, newSession(mallory).status());
        assertTrue(handshakeCompletes(), "mallory's wireguard-go completes a handshake with the server");
        takeDownMallorysInterface();
    }

    // ---- 2. password guessing: blocked for the API and for handshakes; others unaffected ---------

    @Test
    @Order(2)
    void guessingPasswordsFromOneAddressBlocksItForTheApiAndForHandshakes() throws IOException {
        int mark = server.output().length();
        guessPasswords(mallory);

        Matcher block = server.awaitAfter(
                mark,
                Pattern.compile("Security response (\\S+) applied: BLOCK_SOURCE " + Pattern.quote(M_ADDRESS) + "/32"),
                REACTION);
        Eventually.await(
                "the finding is a security event in the audit log",
                REACTION,
                this::auditLog,
                log -> log.contains("\"threat.password-guessing\"") && log.contains(M_ADDRESS));
        Api.Answer refused = Eventually.await(
                "the control API refuses mallory", REACTION, () -> newSession(mallory), a -> a.status() == 403);
        assertEquals("forbidden", refused.field("error"));
        assertEquals(201, newSession(alice).status(), "alice, who guessed nothing, is not affected");
        assertFalse(handshakeCompletes(), "a blocked address completes no handshake");
        assertTrue(
                server.output().contains("SOURCE_BLOCKED") || blockedDrops() > 0,
                "the server's device counts the dropped handshakes as source-blocked");
        takeDownMallorysInterface();
        blockId = block.group(1);
    }

    private String blockId;

    // ---- 3. the operator undoes the block at the shell: in at once -------------------------------

    @Test
    @Order(3)
    void anOperatorsUndoAtTheShellLetsTheAddressInAtOnce() throws IOException {
        assumeTrue(blockId != null, "no block to undo");
        int mark = server.output().length();

        server.shell("wirehaven:undo " + blockId);

        server.awaitAfter(mark, Pattern.compile("Security response " + Pattern.quote(blockId) + " undone"), REACTION);
        assertEquals(201, newSession(mallory).status(), "the API answers mallory again");
        assertTrue(handshakeCompletes(), "mallory completes a handshake again");
        takeDownMallorysInterface();
    }

    // ---- 4. a block that runs its time ends by itself ---------------------------------------------

    @Test
    @Order(4)
    void aBlockThatRunsItsTimeLetsTheAddressInBySelf() throws IOException {
        int mark = server.output().length();
        guessPasswords(mallory);
        server.awaitAfter(
                mark,
                Pattern.compile("Security response \\S+ applied: BLOCK_SOURCE " + Pattern.quote(M_ADDRESS) + "/32"),
                REACTION);
        assertEquals(403, newSession(mallory).status());

        server.awaitAfter(mark, Pattern.compile("Security response \\S+ expired"), BLOCK.plus(REACTION));
        assertEquals(201, newSession(mallory).status(), "the API answers once the block expired");
        assertTrue(handshakeCompletes(), "mallory completes a handshake once the block expired");
        takeDownMallorysInterface();
    }

    // ---- 5. a disabled user: no login with the right password until the undo ----------------------

    @Test
    @Order(5)
    void aDisabledUserCannotLogInUntilTheOperatorUndoesIt() throws IOException {
        assertEquals(200, login(alice, "alice-password").status(), "alice logs in");
        int mark = server.output().length();

        server.shell("wirehaven:disable alice 10m credentials-leaked");
        Matcher disabled = server.awaitAfter(
                mark, Pattern.compile("Security response (\\S+) applied: DISABLE_USER alice"), REACTION);
        Api.Answer refused = login(alice, "alice-password");
        Api.Answer wrong = login(alice, "not her password");
        assertEquals(401, refused.status(), refused.toString());
        assertEquals(wrong.field("message"), refused.field("message"), "the answer does not confirm the password");

        server.shell("wirehaven:undo " + disabled.group(1));
        server.awaitAfter(
                mark, Pattern.compile("Security response " + Pattern.quote(disabled.group(1)) + " undone"), REACTION);
        assertEquals(200, login(alice, "alice-password").status(), "alice logs in again");
    }

    // ---- 6. a performance alert: raised when a metric crosses its line, cleared when it is back ---------

    @Test
    @Order(6)
    void anAlertIsRaisedWhenAThresholdIsCrossedAndClearedWhenTheValueIsBack() throws Exception {
        // more than one authenticated session on the interface is "too many" here; one or none clears it
        server.writeEtc(
                "dev.wirehaven.monitor.alerts.threshold-test-sessions.cfg",
                "name = test-sessions\nmetric = sessions\ntags = phase=authenticated\ndirection = above\n"
                        + "raise = 2\nclear = 1\nseverity = high\n");
        Api.Answer first = login(alice, "alice-password");
        Api.Answer second = login(alice, "alice-password");
        assertEquals(200, first.status(), first.toString());
        assertEquals(200, second.status(), second.toString());

        // the server samples its sessions every 10 s; the alert goes through every sink, the audit log first
        String raised = Eventually.await(
                "the alert is raised in the audit log",
                Duration.ofSeconds(45),
                this::auditLog,
                log -> log.contains("\"alert.raised\"") && log.contains("test-sessions"));
        assertTrue(raised.contains("\"high\"") || raised.contains("\"HIGH\""), "with the threshold's severity");
        assertFalse(auditLog().contains("\"alert.cleared\""), "not cleared while the value stays over the line");

        for (Api.Answer session : new Api.Answer[] {first, second}) {
            Api.Answer bye = alice.call(
                    "DELETE", "/api/v1/sessions/" + session.field("sessionId"), session.field("token"), null);
            assertTrue(bye.status() / 100 == 2, bye.toString());
        }
        Eventually.await(
                "the alert is cleared once the sessions are gone",
                Duration.ofSeconds(45),
                this::auditLog,
                log -> log.contains("\"alert.cleared\"") && log.contains("test-sessions"));
    }

    private String auditLog() throws IOException {
        Path log = server.home().resolve("data/audit/audit.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void guessPasswords(Api from) throws IOException {
        for (int i = 0; i < GUESSES; i++) {
            Api.Answer a = login(from, "guess-" + i);
            assertTrue(a.status() == 401 || a.status() == 403, "a wrong password is refused: " + a);
        }
    }

    private Api.Answer login(Api from, String password) throws IOException {
        Api.Answer challenge = newSession(from);
        if (challenge.status() != 201) {
            return challenge;
        }
        return from.call(
                "POST",
                "/api/v1/sessions/" + challenge.field("sessionId") + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"alice\",\"password\":\"" + password + "\"}");
    }

    private static Api.Answer newSession(Api from) throws IOException {
        return from.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}");
    }

    /** A fresh wireguard-go interface in mallory's namespace (no session yet) and whether a ping through it gets through. */
    private boolean handshakeCompletes() throws IOException {
        malloryWg.start();
        malloryWg.wg(
                "set",
                malloryIface,
                "private-key",
                malloryWg.keyFile().toString(),
                "peer",
                serverPublicKey,
                "endpoint",
                S_TO_M + ":" + WG_PORT,
                "allowed-ips",
                SERVER_TUNNEL + "/32");
        nsMallory.execOk("ip", "address", "add", MALLORY_TUNNEL + "/24", "dev", malloryIface);
        nsMallory.execOk("ip", "link", "set", malloryIface, "up");
        return Topology.ping(nsMallory, SERVER_TUNNEL, 1, (int) HANDSHAKE.toSeconds());
    }

    private void takeDownMallorysInterface() throws IOException {
        nsMallory.exec(10, java.util.Map.of(), "ip", "link", "del", malloryIface);
    }

    private long blockedDrops() throws IOException {
        String stats = nsServer.execOk(server.home().resolve("bin/wirehaven-wg").toString(), "--stats", serverIface)
                .stdout();
        Matcher m = Pattern.compile("drop_source_blocked=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
