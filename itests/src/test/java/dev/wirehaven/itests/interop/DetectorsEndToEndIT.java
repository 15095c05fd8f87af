package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import dev.wirehaven.wireguard.internal.noise.CookieGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three detectors of monitor-threats, each driven by real traffic against a running server, each
 * finding checked as a security event in the audit log and its response checked where it acts: one
 * user in two places at once is asked for step-up in both places; a user who suddenly moves far more
 * than usual is disabled and her tunnel stops, until the operator undoes it; a host that floods
 * handshakes with valid cookies is blocked, so that a real WireGuard peer at that address completes no
 * handshake and the control API refuses it, until the operator's undo lets it in at once.
 *
 * <pre>
 *   ns c: carol's client (wirehaven-client) ---- 198.18.61.0/24 --+
 *   ns d: dave's laptop (wirehaven-client) ----- 198.18.62.0/24 --+
 *   ns e: dave's second client (wirehaven-client) 198.18.63.0/24 --+-- ns s: server (bin/wirehaven with its shell)
 *   ns m: mallory (CookieFlood, wireguard-go, curl) 198.18.64.0/24 +     monitor-threats in deploy/, responses in bundle/
 * </pre>
 *
 * The password-guessing and tunnel-scan detectors are proven in {@link ThreatResponseEndToEndIT} and
 * {@link AccessControlEndToEndIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectorsEndToEndIT {

    private static final String S_TO_C = "198.18.61.1";
    private static final String C_ADDRESS = "198.18.61.2";
    private static final String S_TO_D = "198.18.62.1";
    private static final String D_ADDRESS = "198.18.62.2";
    private static final String S_TO_E = "198.18.63.1";
    private static final String E_ADDRESS = "198.18.63.2";
    private static final String S_TO_M = "198.18.64.1";
    private static final String M_ADDRESS = "198.18.64.2";
    private static final String SERVER_TUNNEL = "10.12.0.1";
    /** Outside the session pool (10.12.0.0/25): a static peer's address is never leased. */
    private static final String MALLORY_TUNNEL = "10.12.0.200";

    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final int TRANSFER_PORT = 5201;
    private static final int BASELINE_PORT = 5202;

    /** Refused handshakes from one source that make a finding here (default 500 in 1m). */
    private static final int FLOOD_THRESHOLD = 300;
    /** Paced well above what the device answers without cookies (250 a second) and its per-source limit (20). */
    private static final int FLOOD_RATE = 1000;
    /** Carol's usual traffic, from her connect on: paced, far below the floor configured below. */
    private static final long BASELINE_RATE = 50_000;
    /** The big transfer, paced: far above the floor configured below, far below what the tunnel carries. */
    private static final long BIG_RATE = 4_000_000;

    /** The server samples its metrics every 10 s. */
    private static final Duration SAMPLING = Duration.ofSeconds(10);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** Two metric rounds and a check interval, with slack for a loaded machine. */
    private static final Duration DETECTION = Duration.ofSeconds(45);
    /** A response to a finding, or an operator's command, shows within a second; the slack is for load. */
    private static final Duration REACTION = Duration.ofSeconds(15);

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whs" + id;
    private final String malloryIface = "whm" + id;

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsServer;
    private Netns nsCarol;
    private Netns nsDave;
    private Netns nsDave2;
    private Netns nsMallory;
    private NetnsServer server;
    private String serverPublicKey;
    private String keyFingerprint;
    private WgSide malloryWg;
    private Process carol;
    private Process dave;
    private Process dave2;
    private Instant baselineStarted;

    @BeforeAll
    void startTheServerWithLowThresholdsAndConnectTheClients() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        assumeTrue(Command.which("wireguard-go") != null, "wireguard-go is not installed");
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "detectors"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsCarol = Netns.create("c");
        nsDave = Netns.create("d");
        nsDave2 = Netns.create("e");
        nsMallory = Netns.create("m");
        Topology.link(nsServer, S_TO_C, nsCarol, C_ADDRESS, 24);
        Topology.link(nsServer, S_TO_D, nsDave, D_ADDRESS, 24);
        Topology.link(nsServer, S_TO_E, nsDave2, E_ADDRESS, 24);
        Topology.link(nsServer, S_TO_M, nsMallory, M_ADDRESS, 24);

        malloryWg = new WgSide(nsMallory, malloryIface, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        // mallory also holds a static peer's key: the handshake that the block must stop
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = " + SERVER_TUNNEL + "/24\n"
                        + "peers = " + malloryWg.publicKey + " allowed-ips " + MALLORY_TUNNEL + "/32\n");
        server.writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + serverIface + "\nsubnet.v4 = 10.12.0.0/25\nroutes = 10.12.0.0/24\n");
        // each detector's thresholds lowered so that a test sees it act within a minute
        server.writeEtc(
                "dev.wirehaven.threats.concurrent.locations.cfg",
                // checked on the first metric or event at least 2 s after the last check: every sampling round
                "interval = 2s\n");
        server.writeEtc(
                "dev.wirehaven.threats.traffic.anomaly.cfg",
                // an interval shorter than the sampling period closes one interval per round (rounds are
                // about, not exactly, 10 s apart: an interval of 10 s would often span two rounds)
                "interval = 5s\nlearning.intervals = 1\nbaseline.weight = 0.3\nfactor = 3\n"
                        + "floor.bytes.per.second = 500000\nwindow = 5m\nresponse = DISABLE_USER\n"
                        + "response.duration = 10m\n");
        server.writeEtc(
                "dev.wirehaven.threats.handshake.flood.cfg",
                "threshold = " + FLOOD_THRESHOLD + "\nwindow = 1m\nresponse.duration = 10m\n");
        // carol's client may try to log in again while she is disabled: that is no password guessing
        server.writeEtc("dev.wirehaven.threats.password.guessing.cfg", "source.threshold = 1000\n");
        for (String user : new String[] {"carol", "dave"}) {
            server.admin(
                            "user",
                            "add",
                            user,
                            "--password-file",
                            secretFile(user, user + "-password").toString())
                    .requireOk();
        }

        server.startWithShell(HTTP_PORT, HTTPS_PORT);
        keyFingerprint = server.await(Pattern.compile("TLS key fingerprint [^:]*: (SHA256:\\S+)"), START_TIMEOUT)
                .group(1);
        server.await(Pattern.compile("Session flow serving WireGuard interface " + serverIface), START_TIMEOUT);
        serverPublicKey = Eventually.await(
                "the server's interface answers wg",
                START_TIMEOUT,
                () -> nsServer.exec(10, Map.of(), "wg", "show", serverIface, "public-key")
                        .stdout()
                        .trim(),
                key -> key.length() == 44);
        Eventually.await(
                "the detectors are deployed",
                START_TIMEOUT,
                () -> server.output(),
                out -> out.contains("Bound monitoring sink threats"));

        carol = startClient(nsCarol, "carol", S_TO_C, "whc" + id, "laptop-carol");
        dave = startClient(nsDave, "dave", S_TO_D, "whd" + id, "laptop-dave");
        dave2 = startClient(nsDave2, "dave", S_TO_E, "whe" + id, "phone-dave");
        awaitConnected(carol, "carol", "whc" + id);
        // carol's usual traffic, for the traffic-anomaly detector to learn while the other tests run
        Transfer.start(
                nsCarol, nsServer, SERVER_TUNNEL, BASELINE_PORT, BASELINE_RATE * 300, BASELINE_RATE, 300, logDir);
        baselineStarted = Instant.now();
        awaitConnected(dave, "dave", "whd" + id);
        awaitConnected(dave2, "dave", "whe" + id);
    }

    @AfterAll
    void stopEverything() throws IOException {
        for (Netns ns : new Netns[] {nsCarol, nsDave, nsDave2, nsMallory, nsServer}) {
            if (ns != null) {
                ns.close();
            }
        }
        // after the clients stopped: a running client keeps its run directory
        for (String iface : new String[] {"whc" + id, "whd" + id, "whe" + id}) {
            TestFiles.deleteTree(runDir(iface));
        }
    }

    // ---- 1. concurrent locations: one user, two networks, step-up asked of both sessions ----------

    @Test
    @Order(1)
    void oneUsersSessionsFromTwoNetworksAtOnceAreAskedForStepUp() throws IOException {
        Matcher applied = server.await(
                Pattern.compile("Security response (\\S+) applied: REQUIRE_STEP_UP dave\\b[^\\n]*"
                        + "requested by detector concurrent-locations"),
                DETECTION);
        String event = auditLine("threat.concurrent-locations", "\"user\":\"dave\"", DETECTION);
        assertTrue(event.contains("198.18.62.0/24, 198.18.63.0/24"), event);
        assertTrue(event.contains("\"severity\":\"MEDIUM\""), event);
        assertTrue(applied.group().contains("2 networks"), "the reason is the finding: " + applied.group());

        // the clients learn of it with their next status report (every 15 s); the tunnels stay up
        for (String iface : new String[] {"whd" + id, "whe" + id}) {
            Eventually.await(
                    "dave's client on " + iface + " is asked for one more factor",
                    Duration.ofSeconds(40),
                    () -> TestFiles.read(logDir.resolve(iface + ".out")),
                    out -> out.contains("asks for one more factor"));
        }
        assertTrue(Topology.ping(nsDave, SERVER_TUNNEL, 1, 5), "dave's tunnel stays up through the step-up");
        assertFalse(
                TestFiles.read(logDir.resolve("whc" + id + ".out")).contains("asks for one more factor"),
                "carol, in one place, is not asked");
        assertFalse(server.output().contains("applied: REQUIRE_STEP_UP carol"), "carol, in one place, is not reported");
    }

    // ---- 2. traffic anomaly: far above the user's baseline; disabled, tunnel down, undo lets her in ---

    @Test
    @Order(2)
    void aUserMovingFarMoreThanHerBaselineIsDisabledAndHerTunnelStopsUntilTheUndo() throws IOException {
        // her baseline: the detector skips her first interval (counter starting points) and learns from
        // the next ones; the two sampling rounds after the baseline transfer began make one whole interval
        // of it, which the detector learns (weight 0.3) whether or not it still counts as learning. A first
        // interval with only part of the big transfer may stay under the floor and be learned too: the
        // baseline then stays under 0.2 MB/s, and the next, whole interval is still far above 3 times it.
        Instant learned = baselineStarted.plus(SAMPLING.multipliedBy(2)).plusSeconds(1);
        Eventually.await(
                "a whole sampling interval of carol's baseline traffic",
                SAMPLING.multipliedBy(3),
                () -> Instant.now().isAfter(learned),
                done -> done);
        assertTrue(Topology.ping(nsCarol, SERVER_TUNNEL, 1, 5), "carol's tunnel is up before the big transfer");
        int mark = server.output().length();

        Transfer big =
                Transfer.start(nsCarol, nsServer, SERVER_TUNNEL, TRANSFER_PORT, BIG_RATE * 90, BIG_RATE, 90, logDir);
        try {
            Matcher disabled = server.awaitAfter(
                    mark,
                    Pattern.compile("Security response (\\S+) applied: DISABLE_USER carol\\b[^\\n]*"
                            + "requested by detector traffic-anomaly; (\\d+) sessions? revoked"),
                    DETECTION.plus(SAMPLING));
            String event = auditLine("threat.traffic-anomaly", "\"user\":\"carol\"", REACTION);
            assertTrue(event.contains("\"severity\":\"MEDIUM\""), event);
            Matcher usual = Pattern.compile("times the usual ([0-9.]+) MB/s").matcher(event);
            assertTrue(usual.find(), event);
            assertTrue(Double.parseDouble(usual.group(1)) > 0, "judged against the baseline she had: " + event);

            // the disable revokes her open session: the peer is removed, the tunnel carries nothing
            assertEquals("1", disabled.group(2), "her one session is revoked: " + disabled.group());
            Eventually.await(
                    "carol's tunnel stops",
                    REACTION,
                    () -> Topology.ping(nsCarol, SERVER_TUNNEL, 1, 2),
                    reached -> !reached);
            stop(carol); // no client retrying in the background while the rest is checked
            Api api = new Api(nsCarol, "https://" + S_TO_C + ":" + HTTPS_PORT);
            Api.Answer refused = login(api, "carol");
            assertEquals(401, refused.status(), "a disabled user cannot log in: " + refused);

            int undoMark = server.output().length();
            server.shell("wirehaven:undo " + disabled.group(1));
            server.awaitAfter(
                    undoMark,
                    Pattern.compile("Security response " + Pattern.quote(disabled.group(1)) + " undone"),
                    REACTION);
            Api.Answer again = login(api, "carol");
            assertEquals(200, again.status(), "the undo lets carol log in at once: " + again);
        } finally {
            big.sender.destroyForcibly();
            big.receiver.destroyForcibly();
        }
    }

    // ---- 3. handshake flood with cookies: blocked for handshakes and the API; undo lets it in -------

    private String blockId;

    @Test
    @Order(3)
    void aHostFloodingHandshakesWithValidCookiesIsBlockedForHandshakesAndTheApi() throws Exception {
        int mark = server.output().length();
        Path stop = work.resolve("stop-flood");
        Path floodLog = logDir.resolve("cookie-flood.out");
        Process flood = Helpers.spawn(
                nsMallory,
                floodLog,
                List.of(CookieGenerator.class, XChaCha20Poly1305.class),
                CookieFlood.class,
                S_TO_M,
                Integer.toString(WG_PORT),
                "60",
                stop.toString(),
                serverPublicKey,
                Integer.toString(FLOOD_RATE));
        Matcher block;
        try {
            Helpers.awaitLine(floodLog, "flooding", flood, 30);
            block = server.awaitAfter(
                    mark,
                    Pattern.compile("Security response (\\S+) applied: BLOCK_SOURCE " + Pattern.quote(M_ADDRESS)
                            + "/32[^\\n]*requested by detector handshake-flood"),
                    DETECTION);
        } finally {
            Files.writeString(stop, "");
            assertTrue(flood.waitFor(20, TimeUnit.SECONDS), "the flooder stops");
        }
        String summary = TestFiles.read(floodLog);
        assertTrue(summary.contains("\ncookie\n"), "the flooder opened a cookie reply: " + summary);
        Matcher counts = Pattern.compile("with_cookie=(\\d+)").matcher(summary);
        assertTrue(counts.find() && Long.parseLong(counts.group(1)) > FLOOD_THRESHOLD, summary);
        String event = auditLine("threat.handshake-flood", "\"source\":\"" + M_ADDRESS + "\"", REACTION);
        assertTrue(event.contains("refused by the rate limiter"), event);
        assertTrue(event.contains("\"severity\":\"HIGH\""), event);

        Api mallory = new Api(nsMallory, "https://" + S_TO_M + ":" + HTTPS_PORT);
        Api.Answer refused = newSession(mallory);
        assertEquals(403, refused.status(), "the control API refuses the blocked address: " + refused);
        long droppedBefore = blockedDrops();
        assertFalse(handshakeCompletes(8), "a real WireGuard peer at the blocked address completes no handshake");
        assertTrue(blockedDrops() > droppedBefore, "its initiations are dropped as source-blocked");
        takeDownMallorysInterface();
        blockId = block.group(1);
    }

    @Test
    @Order(4)
    void theOperatorsUndoLetsTheFloodersAddressInAtOnce() throws IOException {
        assumeTrue(blockId != null, "no block to undo");
        int mark = server.output().length();

        server.shell("wirehaven:undo " + blockId);

        server.awaitAfter(mark, Pattern.compile("Security response " + Pattern.quote(blockId) + " undone"), REACTION);
        Api mallory = new Api(nsMallory, "https://" + S_TO_M + ":" + HTTPS_PORT);
        assertEquals(201, newSession(mallory).status(), "the API answers the address again");
        assertTrue(handshakeCompletes(10), "the WireGuard peer at that address completes a handshake again");
        takeDownMallorysInterface();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private Process startClient(Netns ns, String user, String serverAddress, String iface, String device)
            throws IOException {
        return ns.spawn(
                logDir.resolve(iface + ".out"),
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_CLIENT_RUN_DIR", runDir(iface).toString()),
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                "https://" + serverAddress + ":" + HTTPS_PORT,
                "--user",
                user,
                "--password-file",
                secretFile("client-" + iface, user + "-password").toString(),
                "--interface",
                iface,
                "--device",
                device,
                "--fingerprint",
                keyFingerprint,
                "--config-dir",
                work.resolve("config-" + iface).toString());
    }

    /** Waits for the client's "Connected". */
    private void awaitConnected(Process p, String user, String iface) {
        Path out = logDir.resolve(iface + ".out");
        Helpers.awaitConnected(p, out, user + "'s client on " + iface, "10\\.12\\.0", CONNECT_TIMEOUT, server::output);
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

    /** The first line of the audit log with {@code type} (a JSON string there) that contains {@code text}. */
    private String auditLine(String type, String text, Duration timeout) {
        return Eventually.await(
                "a " + type + " event with " + text + " in the audit log",
                timeout,
                () -> auditLog()
                        .lines()
                        .filter(l -> l.contains("\"" + type + "\"") && l.contains(text))
                        .findFirst()
                        .orElse(null),
                line -> line != null);
    }

    private String auditLog() throws IOException {
        Path log = server.home().resolve("data/audit/audit.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Api.Answer login(Api api, String user) throws IOException {
        Api.Answer challenge = newSession(api);
        if (challenge.status() != 201) {
            return challenge;
        }
        return api.call(
                "POST",
                "/api/v1/sessions/" + challenge.field("sessionId") + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}");
    }

    private static Api.Answer newSession(Api from) throws IOException {
        return from.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}");
    }

    /** A fresh wireguard-go interface at mallory's address and whether a ping through it gets an answer in time. */
    private boolean handshakeCompletes(int deadlineSeconds) throws IOException {
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
        return Topology.ping(nsMallory, SERVER_TUNNEL, 1, deadlineSeconds);
    }

    private void takeDownMallorysInterface() throws IOException {
        nsMallory.exec(10, Map.of(), "ip", "link", "del", malloryIface);
    }

    private long blockedDrops() throws IOException {
        String stats = nsServer.execOk(server.home().resolve("bin/wirehaven-wg").toString(), "--stats", serverIface)
                .stdout();
        Matcher m = Pattern.compile("drop_source_blocked=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The client's run directory: short, because its access socket must fit in a Unix socket path. */
    private static Path runDir(String iface) {
        return Path.of("/tmp", "whr-" + iface);
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
