package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's connection flow end to end, run the way people run it: the server distribution's
 * {@code bin/wirehaven}, users added with {@code bin/wirehaven user add}, and the client
 * distribution's {@code bin/wirehaven-client connect} with a password, across namespaces that this
 * test creates, so that nothing touches the host's network, routes or DNS.
 *
 * <pre>
 *   namespace A: alice's client          namespace S: bin/wirehaven              namespace K: corporate host
 *   veth 198.18.1.2 ------------------- 198.18.1.1                               192.168.50.10
 *   whaN 10.8.0.x (tunnel)               HTTPS 8443, WireGuard 51820               |
 *                                        whsN 10.8.0.1/24   192.168.50.1 ---------+
 *   namespace B: bob's client            (IPv4 forwarding on)
 *   veth 198.18.2.2 ------------------- 198.18.2.1
 * </pre>
 *
 * Each client gets its own {@code /etc/netns/<ns>/resolv.conf}, so the DNS the server pushes is
 * seen there and nowhere else. The steps build on each other, in order, on one server: alice
 * connects and reaches the corporate host; bob connects at the same time and gets another
 * address; status; a policy update pushed to both; an expired session; bad input to the control API; wrong passwords and the
 * rate limit; alice's link cut and restored; the server killed with SIGKILL and restarted; bob
 * disconnects from another shell; alice's Ctrl-C; a stock config exported for wireguard-go; a bad
 * configuration value; a full tunnel; re-authentication before a short lifetime ends. Skipped unless root with {@code ip}, {@code wg},
 * {@code curl} and both distributions unpacked ({@code -Dwirehaven.dist}, {@code -Dwirehaven.client.dist}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsEndToEndIT {

    private static final String S_TO_A = "198.18.1.1";
    private static final String A_ADDRESS = "198.18.1.2";
    private static final String S_TO_B = "198.18.2.1";
    private static final String B_ADDRESS = "198.18.2.2";
    private static final String S_TO_K = "192.168.50.1";
    private static final String CORPORATE_HOST = "192.168.50.10";
    private static final String CORPORATE_NET = "192.168.50.0/24";
    private static final String TUNNEL_NET = "10.8.0.0/24";
    private static final String PUSHED_DNS = "192.168.50.53";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(150);
    private static final String INTERFACE_PID = "dev.wirehaven.wireguard.interface";
    private static final String SESSIONS_PID = "dev.wirehaven.server.sessions";

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whs" + id;
    private final String aliceIface = "wha" + id;
    private final String bobIface = "whb" + id;

    private Path logDir;
    private Path work;
    private Path home;
    private Path client;
    private Path serverOut;
    private Netns nsServer;
    private Netns nsAlice;
    private Netns nsBob;
    private Netns nsCorp;
    private Process server;
    private Process aliceClient;
    private Process bobClient;
    private String fingerprint;
    private String keyFingerprint;
    private String aliceAddress;
    private String bobAddress;
    private final List<Path> netnsEtc = new ArrayList<>();

    @BeforeAll
    void startTheServerWithAUserAndAnInterface() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "sessions"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));
        serverOut = logDir.resolve("server.out");

        nsServer = Netns.create("s");
        nsAlice = Netns.create("a");
        nsBob = Netns.create("b");
        nsCorp = Netns.create("k");
        Topology.link(nsServer, S_TO_A, nsAlice, A_ADDRESS, 24);
        Topology.link(nsServer, S_TO_B, nsBob, B_ADDRESS, 24);
        Topology.link(nsServer, S_TO_K, nsCorp, CORPORATE_HOST, 24);
        nsServer.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nsCorp.execOk("ip", "route", "add", "default", "via", S_TO_K);
        resolvConf(nsAlice, "nameserver 198.18.1.53\n");
        resolvConf(nsBob, "nameserver 198.18.2.53\n");

        writeEtc(
                INTERFACE_PID + "-" + serverIface + ".cfg",
                "name = " + serverIface + "\n" + "listenPort = " + WG_PORT + "\n" + "addresses = 10.8.0.1/24\n");
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
        // the example monitoring sink logs every session event: the log shows each step of the flow
        Files.copy(
                Distribution.pluginExample("wirehaven-example-monitor-log"),
                home.resolve("deploy/wirehaven-example-monitor-log.jar"));

        // a user added before the server runs: the command line opens the store itself
        userAdmin(
                        "add",
                        "alice",
                        "--password-file",
                        passwordFile("alice", "correct horse alice").toString())
                .requireOk();

        server = startServer();
        fingerprint = awaitServer(Pattern.compile("TLS certificate SHA-256 fingerprint: ([0-9A-F:]{95})"))
                .group(1);
        awaitServer(Pattern.compile("Session flow serving WireGuard interface " + serverIface));
        assertEquals(
                fingerprint,
                Files.readString(home.resolve("data/tls/fingerprint")).trim());
        keyFingerprint =
                Files.readString(home.resolve("data/tls/key-fingerprint")).trim();
    }

    @AfterAll
    void stopEverything() throws IOException {
        List<Netns> all = new ArrayList<>();
        for (Netns ns : new Netns[] {nsAlice, nsBob, nsCorp, nsServer}) {
            if (ns != null) {
                all.add(ns);
            }
        }
        try {
            for (Netns ns : all) {
                ns.close();
            }
        } finally {
            for (Path dir : netnsEtc) {
                TestFiles.deleteTree(dir);
            }
        }
    }

    // ---- 1. connection flow: alice authenticates with her password and reaches the corporate host -----

    @Test
    @Order(1)
    void aliceConnectsWithHerPasswordAndReachesTheCorporateHost() throws IOException {
        aliceClient = connect(nsAlice, aliceIface, "alice", "correct horse alice", S_TO_A, fingerprint);
        Matcher connected = awaitClient(
                aliceIface,
                aliceClient,
                Pattern.compile("Connected: (10\\.8\\.0\\.\\d+)/32 via " + Pattern.quote(S_TO_A + ":" + WG_PORT)));
        aliceAddress = connected.group(1);

        assertPing(nsAlice, CORPORATE_HOST);
        String dump = wg(nsServer, "show", serverIface, "dump");
        String peerLine = dump.lines()
                .filter(l -> l.contains(aliceAddress + "/32"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no peer with " + aliceAddress + "/32 on the server:\n" + dump));
        String[] fields = peerLine.split("\t");
        assertNotEquals("(none)", fields[1], "the session has its own preshared key");
        assertTrue(fields[2].startsWith(A_ADDRESS + ":"), "the server saw alice's endpoint: " + peerLine);

        assertTrue(
                resolvConf(nsAlice).contains("nameserver " + PUSHED_DNS),
                "the pushed DNS is in alice's resolv.conf:\n" + resolvConf(nsAlice));
        String routes = nsAlice.execOk("ip", "route", "show", CORPORATE_NET).stdout();
        assertTrue(routes.contains("dev " + aliceIface), "the corporate network is routed into the tunnel: " + routes);
        for (String phase : List.of("REQUESTED", "CHALLENGED", "AUTHENTICATED", "CONFIGURED", "ACTIVE")) {
            awaitServer(Pattern.compile("session id=\\S+ user=\\S* ?phase=" + phase + "\\b"));
        }
        awaitServer(Pattern.compile("user=alice phase=ACTIVE .*first handshake completed"));
    }

    // ---- 2. multi-user: bob, added while the server runs, connects at the same time -----------------

    @Test
    @Order(2)
    void bobAddedWhileTheServerRunsConnectsAtTheSameTimeAndGetsAnotherAddress() throws IOException {
        // the server runs: the command line goes through its admin socket
        Command.Result added = userAdmin(
                        "add",
                        "bob",
                        "--password-file",
                        passwordFile("bob", "battery staple bob").toString())
                .requireOk();
        assertTrue(added.stdout().contains("bob"), added.stdout());

        // no --fingerprint and no terminal to ask on: refused, with the key to check with the operator
        Process unpinned = connect(nsBob, bobIface, "bob", "battery staple bob", S_TO_B, null);
        try {
            assertTrue(unpinned.waitFor(60, TimeUnit.SECONDS), "the unpinned client gave up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(1, unpinned.exitValue(), clientOutput(bobIface));
        assertTrue(clientOutput(bobIface).contains("is not a known server"), clientOutput(bobIface));
        assertTrue(clientOutput(bobIface).contains(keyFingerprint), clientOutput(bobIface));

        // with the key's fingerprint, as the operator gives it: checked, then recorded
        bobClient = connect(nsBob, bobIface, "bob", "battery staple bob", S_TO_B, keyFingerprint);
        bobAddress = awaitClient(
                        bobIface,
                        bobClient,
                        Pattern.compile(
                                "Connected: (10\\.8\\.0\\.\\d+)/32 via " + Pattern.quote(S_TO_B + ":" + WG_PORT)))
                .group(1);

        assertNotEquals(aliceAddress, bobAddress);
        assertPing(nsBob, CORPORATE_HOST);
        assertPing(nsAlice, CORPORATE_HOST);
        assertTrue(Files.readString(work.resolve("config-" + bobIface + "/known_servers"))
                .contains(keyFingerprint));
        assertEquals(2, wg(nsServer, "show", serverIface, "peers").lines().count());
    }

    // ---- 3. monitoring from the client's side ---------------------------------------------------

    @Test
    @Order(3)
    void statusShowsTheActiveSessionItsAddressAndItsHandshake() throws IOException {
        Command.Result status = clientCommand(nsAlice, aliceIface, "status", "--interface", aliceIface)
                .requireOk();
        String out = status.stdout();
        assertTrue(out.contains("state: ACTIVE"), out);
        assertTrue(out.contains(aliceAddress + "/32"), out);
        assertTrue(out.matches("(?s).*latest handshake: \\d+ s ago.*"), out);
    }

    // ---- 4. policy update: the operator changes DNS; the clients apply it and acknowledge ------------

    @Test
    @Order(4)
    void aPolicyChangeIsPushedToTheConnectedClientsWhichApplyAndAcknowledgeIt() throws IOException {
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig("").replace(PUSHED_DNS, "192.168.50.54"));

        awaitClient(aliceIface, aliceClient, Pattern.compile("Policy \\d+ applied: .*192\\.168\\.50\\.54"));
        awaitClient(bobIface, bobClient, Pattern.compile("Policy \\d+ applied: .*192\\.168\\.50\\.54"));
        Eventually.await(
                "the new DNS in alice's resolv.conf",
                CONNECT_TIMEOUT,
                () -> resolvConf(nsAlice),
                conf -> conf.contains("nameserver 192.168.50.54"));
        awaitServer(Pattern.compile("user=alice phase=ACTIVE .*detail=policy version \\d+ applied"));
        awaitServer(Pattern.compile("user=bob phase=ACTIVE .*detail=policy version \\d+ applied"));

        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
        Eventually.await(
                "the first DNS back in alice's resolv.conf",
                CONNECT_TIMEOUT,
                () -> resolvConf(nsAlice),
                conf -> conf.contains("nameserver " + PUSHED_DNS));
        assertPing(nsAlice, CORPORATE_HOST);
    }

    // ---- 5. an expired session is refused and cleaned up ----------------------------------------

    @Test
    @Order(5)
    void anExpiredSessionIsRefusedAndItsPeerIsRemoved() throws IOException {
        userAdmin(
                        "add",
                        "carol",
                        "--password-file",
                        passwordFile("carol", "carol's good password").toString())
                .requireOk();
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig("session.lifetime = 20s\n"));
        awaitServer(Pattern.compile("session.lifetime|lifetime 20"), Duration.ofSeconds(20), true);

        String publicKey = Topology.newPublicKey();
        Api api = new Api(nsCorp, "https://" + S_TO_K + ":" + HTTPS_PORT);
        Api.Answer challenge = api.call(
                "POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + publicKey + "\",\"deviceName\":\"curl\"}");
        assertEquals(201, challenge.status(), challenge.toString());
        String sessionId = challenge.field("sessionId");
        Api.Answer grant = api.call(
                "POST",
                "/api/v1/sessions/" + sessionId + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"carol\",\"password\":\"carol's good password\"}");
        assertEquals(200, grant.status(), grant.toString());
        String token = grant.field("token");
        Api.Answer configured = api.call(
                "PUT",
                "/api/v1/sessions/" + sessionId + "/client-config",
                token,
                "{\"publicKey\":\"" + publicKey + "\",\"allowedIps\":[]}");
        assertEquals(200, configured.status(), configured.toString());
        assertTrue(wg(nsServer, "show", serverIface, "peers").contains(publicKey));

        Eventually.await(
                "the lapsed session's peer to leave " + serverIface,
                Duration.ofSeconds(60),
                () -> wg(nsServer, "show", serverIface, "peers"),
                peers -> !peers.contains(publicKey));
        Api.Answer refused = api.call("GET", "/api/v1/sessions/" + sessionId, token, null);
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("expired", refused.field("error"), refused.toString());
        awaitServer(Pattern.compile("user=carol phase=EXPIRED .*peer removed from " + serverIface));

        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
        assertPing(nsAlice, CORPORATE_HOST);
    }

    // ---- 6. bad input to the control API: 4xx with a clear message, never 500, no state change ------

    @Test
    @Order(6)
    void badInputToTheControlApiGets4xxWithAClearMessageAndChangesNothing() throws IOException {
        Api api = new Api(nsCorp, "https://" + S_TO_K + ":" + HTTPS_PORT);
        String peersBefore = wg(nsServer, "show", serverIface, "peers");
        String key = Topology.newPublicKey();

        Api.Answer malformed = api.call("POST", "/api/v1/sessions", null, "{\"publicKey\": ");
        assertEquals(400, malformed.status(), malformed.toString());
        assertEquals("invalid_request", malformed.field("error"));

        Api.Answer unknownField = api.call(
                "POST",
                "/api/v1/sessions",
                null,
                "{\"publicKey\":\"" + key + "\",\"deviceName\":\"x\",\"colour\":\"red\"}");
        assertEquals(400, unknownField.status(), unknownField.toString());
        assertTrue(unknownField.field("message").contains("colour"), unknownField.toString());

        Api.Answer badKey = api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"not-a-key\"}");
        assertEquals(400, badKey.status(), badKey.toString());
        assertTrue(badKey.field("message").contains("publicKey"), badKey.toString());

        Api.Answer oversized =
                api.call("POST", "/api/v1/sessions", null, "{\"deviceName\":\"" + "x".repeat(200_000) + "\"}");
        assertEquals(413, oversized.status(), oversized.toString());

        Api.Answer notJson = api.callAs("POST", "/api/v1/sessions", null, "publicKey=" + key, "text/plain");
        assertEquals(415, notJson.status(), notJson.toString());

        String aliceSession = stateField(aliceIface, "sessionId");
        Api.Answer forged = api.call(
                "GET",
                "/api/v1/sessions/" + aliceSession + "/server-config",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                null);
        assertEquals(401, forged.status(), forged.toString());
        Api.Answer forgedDisconnect = api.call(
                "DELETE", "/api/v1/sessions/" + aliceSession, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null);
        assertEquals(401, forgedDisconnect.status(), forgedDisconnect.toString());

        // a step before its turn: confirming a setup whose client config never came
        Api.Answer challenge = api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + key + "\"}");
        assertEquals(201, challenge.status(), challenge.toString());
        String sessionId = challenge.field("sessionId");
        Api.Answer noToken = api.call("GET", "/api/v1/sessions/" + sessionId + "/server-config", null, null);
        assertEquals(401, noToken.status(), noToken.toString());
        Api.Answer grant = api.call(
                "POST",
                "/api/v1/sessions/" + sessionId + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"carol\",\"password\":\"carol's good password\"}");
        assertEquals(200, grant.status(), grant.toString());
        Api.Answer outOfOrder = api.call(
                "POST",
                "/api/v1/sessions/" + sessionId + "/confirm",
                grant.field("token"),
                "{\"interfaceName\":\"wg0\"}");
        assertEquals(409, outOfOrder.status(), outOfOrder.toString());
        assertTrue(outOfOrder.field("message").contains("AUTHENTICATED"), outOfOrder.toString());
        assertEquals(
                200,
                api.call("DELETE", "/api/v1/sessions/" + sessionId, grant.field("token"), null)
                        .status());

        Api.Answer unknownSession = api.call("GET", "/api/v1/sessions/no-such-session", "AAAA", null);
        assertEquals(404, unknownSession.status(), unknownSession.toString());

        // the API never travels in clear: plain HTTP is refused before anything is read
        Api plain = new Api(nsCorp, "http://" + S_TO_K + ":" + HTTP_PORT);
        Api.Answer clear = plain.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + key + "\"}");
        assertEquals(403, clear.status(), clear.toString());

        assertEquals(peersBefore, wg(nsServer, "show", serverIface, "peers"), "no peer came or went");
        assertFalse(serverOutput().contains(" 500 "), "no request ended in a 500");
        assertPing(nsAlice, CORPORATE_HOST);
    }

    // ---- 7. authentication failures: a clear error that does not say which part, then a rate limit -----

    @Test
    @Order(7)
    void aWrongPasswordGetsAClearErrorAndRepeatedFailuresAreRateLimited() throws IOException {
        Api api = new Api(nsCorp, "https://" + S_TO_K + ":" + HTTPS_PORT);
        String wrongPassword = "{\"method\":\"password\",\"username\":\"carol\",\"password\":\"guess\"}";
        String unknownUser = "{\"method\":\"password\",\"username\":\"nobody\",\"password\":\"guess\"}";

        Api.Answer wrong = api.call("POST", "/api/v1/sessions/" + newSession(api) + "/auth", null, wrongPassword);
        Api.Answer unknown = api.call("POST", "/api/v1/sessions/" + newSession(api) + "/auth", null, unknownUser);
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals(401, unknown.status(), unknown.toString());
        assertEquals(wrong.field("message"), unknown.field("message"), "the answer does not say which part was wrong");

        // the command line says the same to a person, and fails with status 1
        Command.Result cli = nsCorp.exec(
                120,
                clientEnv(work.resolve("run-k")),
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                "https://" + S_TO_K + ":" + HTTPS_PORT,
                "--user",
                "carol",
                "--password-file",
                passwordFile("carol-wrong", "guess").toString(),
                "--fingerprint",
                fingerprint,
                "--interface",
                "whk" + id,
                "--config-dir",
                work.resolve("config-k").toString());
        assertEquals(1, cli.exitCode(), cli.toString());
        assertTrue(cli.stderr().contains(wrong.field("message")), cli.stderr());

        Api.Answer last = wrong;
        for (int i = 0; i < 6 && last.status() != 429; i++) {
            last = api.call("POST", "/api/v1/sessions/" + newSession(api) + "/auth", null, wrongPassword);
        }
        assertEquals(429, last.status(), "repeated failures are rate limited: " + last);
        assertEquals("rate_limited", last.field("error"));
        Api.Answer rightButLocked = api.call(
                "POST",
                "/api/v1/sessions/" + newSession(api) + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"carol\",\"password\":\"carol's good password\"}");
        assertEquals(429, rightButLocked.status(), "the lockout holds even for the right password: " + rightButLocked);
        awaitServer(Pattern.compile("\\b(auth|login)[._a-z]*(lock|rate)", Pattern.CASE_INSENSITIVE));
    }

    // ---- 8. error handling: alice's link is cut; her client diagnoses and reconnects by itself -----

    @Test
    @Order(8)
    void cuttingAlicesLinkMakesHerClientDiagnoseAndReconnectByItselfOnceRestored() throws IOException {
        nsAlice.execOk("ip", "link", "set", "veth0", "down");
        awaitClient(aliceIface, aliceClient, Pattern.compile("Connection lost: "), RECOVERY_TIMEOUT);
        awaitClient(aliceIface, aliceClient, Pattern.compile("Reconnect attempt \\d+ failed"), RECOVERY_TIMEOUT);
        nsAlice.execOk("ip", "link", "set", "veth0", "up");

        awaitClient(
                aliceIface,
                aliceClient,
                Pattern.compile("Reconnected: session \\S+ is still valid; resumed without authenticating again"),
                RECOVERY_TIMEOUT);
        assertPing(nsAlice, CORPORATE_HOST);
        assertEquals(1, count(serverOutput(), "detail=authenticated as 'alice'"), "no new login for alice");
    }

    // ---- 9. the server is killed (SIGKILL) and restarted: no session is lost ------------------------

    @Test
    @Order(9)
    void killingTheServerWithSigkillAndRestartingItLosesNoSession() throws IOException, InterruptedException {
        server.destroyForcibly();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not die of SIGKILL");
        int startsBefore = count(serverOutput(), "Session flow serving WireGuard interface " + serverIface);

        server = startServer();
        Eventually.await(
                "the restarted server's session flow",
                START_TIMEOUT,
                () -> count(serverOutput(), "Session flow serving WireGuard interface " + serverIface),
                n -> n > startsBefore);
        awaitServer(Pattern.compile("Sessions on " + serverIface + ": restored 2 peers"));

        assertTrue(
                Topology.ping(nsAlice, CORPORATE_HOST, 3, 90),
                "alice reaches the corporate host again\n" + TestFiles.tail(clientOutput(aliceIface), 60));
        assertTrue(
                Topology.ping(nsBob, CORPORATE_HOST, 3, 90),
                "bob reaches the corporate host again\n" + TestFiles.tail(clientOutput(bobIface), 60));
        assertEquals(1, count(serverOutput(), "detail=authenticated as 'alice'"), "alice did not log in again");
        assertEquals(1, count(serverOutput(), "detail=authenticated as 'bob'"), "bob did not log in again");
        assertTrue(clientCommand(nsBob, bobIface, "status", "--interface", bobIface)
                .requireOk()
                .stdout()
                .contains(bobAddress + "/32"));
    }

    // ---- 10. disconnection request from another shell: peer removed, lease released -------------------

    @Test
    @Order(10)
    void disconnectFromAnotherShellRemovesBobsPeerReleasesHisAddressAndRestoresHisDns() throws Exception {
        String bobKey = stateField(bobIface, "publicKey");
        assertTrue(wg(nsServer, "show", serverIface, "peers").contains(bobKey));

        Command.Result result = clientCommand(nsBob, bobIface, "disconnect", "--interface", bobIface)
                .requireOk();
        assertTrue(result.stdout().contains(bobIface + ": disconnected"), result.stdout());
        assertTrue(bobClient.waitFor(30, TimeUnit.SECONDS), "bob's connect process ended");

        assertFalse(wg(nsServer, "show", serverIface, "peers").contains(bobKey), "bob's peer is gone from the server");
        awaitServer(Pattern.compile(
                "user=bob phase=DISCONNECTED .*peer removed from " + serverIface + "; addresses released"));
        assertEquals("nameserver 198.18.2.53\n", resolvConf(nsBob), "bob's DNS is restored");
        assertNotEquals(0, nsBob.exec("ip", "link", "show", "dev", bobIface).exitCode(), "bob's tunnel is down");
        assertFalse(Topology.ping(nsBob, CORPORATE_HOST, 1, 3), "bob no longer reaches the corporate network");
        assertPing(nsAlice, CORPORATE_HOST);
    }

    // ---- 11. Ctrl-C: alice's client ends the session and restores her routes and DNS -----------------

    @Test
    @Order(11)
    void ctrlCDisconnectsAliceCleanlyAndRestoresHerRoutesAndDns() throws Exception {
        String aliceKey = stateField(aliceIface, "publicKey");
        Command.run(10, "kill", "-INT", Long.toString(aliceClient.pid())).requireOk();
        assertTrue(aliceClient.waitFor(30, TimeUnit.SECONDS), "alice's client ended on Ctrl-C");

        assertFalse(wg(nsServer, "show", serverIface, "peers").contains(aliceKey));
        awaitServer(Pattern.compile("user=alice phase=DISCONNECTED"));
        assertEquals("nameserver 198.18.1.53\n", resolvConf(nsAlice), "alice's DNS is restored");
        assertFalse(nsAlice.execOk("ip", "route", "show").stdout().contains(CORPORATE_NET), "no route left");
        assertNotEquals(0, nsAlice.exec("ip", "link", "show", "dev", aliceIface).exitCode());
        assertTrue(clientCommand(nsAlice, aliceIface, "status", "--interface", aliceIface)
                .stdout()
                .contains("not connected"));
        assertTrue(server.isAlive());
    }

    // ---- 12. wg-quick compatibility: an exported stock config brings wireguard-go to the corporate host --

    @Test
    @Order(12)
    void anExportedStockConfigLetsWireguardGoReachTheCorporateHost() throws IOException {
        String phone = "whe" + id;
        String handshakeFromB = "first handshake completed from " + B_ADDRESS;
        int handshakesBefore = count(serverOutput(), handshakeFromB);
        Path conf = work.resolve(phone + ".conf");
        Path qr = work.resolve(phone + ".png");
        Command.Result export = clientCommand(
                        nsBob,
                        bobIface,
                        "export",
                        "--server",
                        "https://" + S_TO_B + ":" + HTTPS_PORT,
                        "--user",
                        "bob",
                        "--password-file",
                        passwordFile("bob", "battery staple bob").toString(),
                        "--fingerprint",
                        fingerprint,
                        "--device",
                        "phone",
                        "--output",
                        conf.toString(),
                        "--qr",
                        qr.toString(),
                        "--config-dir",
                        work.resolve("config-" + bobIface).toString())
                .requireOk();
        assertTrue(export.stdout().contains("Wrote " + conf), export.stdout());
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        byte[] png = Files.readAllBytes(qr);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII), "the QR code is a PNG image");

        String text = Files.readString(conf);
        Matcher address =
                Pattern.compile("(?m)^Address\\s*=\\s*(10\\.8\\.0\\.\\d+/32)").matcher(text);
        assertTrue(address.find(), text);
        assertTrue(text.contains("Endpoint = " + S_TO_B + ":" + WG_PORT), text);
        assertTrue(text.contains("PresharedKey = "), text);

        // the stock tools: wg-quick strips the wg-quick keys, wg applies the rest to wireguard-go
        WgSide stock = new WgSide(nsBob, phone, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        stock.start();
        Path stripped = work.resolve(phone + ".stripped");
        Files.writeString(
                stripped, nsBob.execOk("wg-quick", "strip", conf.toString()).stdout());
        stock.wg("setconf", phone, stripped.toString());
        nsBob.execOk("ip", "address", "add", address.group(1), "dev", phone);
        nsBob.execOk("ip", "link", "set", phone, "up");
        nsBob.execOk("ip", "route", "add", CORPORATE_NET, "dev", phone);

        assertTrue(
                Topology.ping(nsBob, CORPORATE_HOST, 3, 30),
                "wireguard-go with the exported config reaches " + CORPORATE_HOST + "\n---- server:\n"
                        + TestFiles.tail(serverOutput(), 60));
        Eventually.await(
                "the exported session to become active",
                CONNECT_TIMEOUT,
                () -> count(serverOutput(), handshakeFromB),
                n -> n > handshakesBefore);
        nsBob.execOk("ip", "link", "del", phone);
    }

    // ---- 13. configuration: a bad value names the file, the key and the fix; the sessions go on ------

    @Test
    @Order(13)
    void aBadSessionConfigurationIsRefusedWithItsFileAndKeyAndTheSessionsGoOn() throws IOException {
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig("mtu = 70000\n"));
        awaitServer(Pattern.compile("ERROR .*Session configuration not applied.*" + Pattern.quote(SESSIONS_PID + ".cfg")
                + ".*\\bmtu\\b.*70000"));
        Api api = new Api(nsCorp, "https://" + S_TO_K + ":" + HTTPS_PORT);
        assertEquals(
                201,
                api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}")
                        .status(),
                "the control API still serves");

        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
        assertTrue(server.isAlive());
    }

    // ---- 14. full tunnel: everything goes through the server, except the way to the server itself ----

    @Test
    @Order(14)
    void aFullTunnelRoutesEverythingThroughTheServerButKeepsTheServerItselfOutside() throws Exception {
        writeEtc(
                SESSIONS_PID + ".cfg",
                sessionsConfig("").replace("routes = " + TUNNEL_NET + ", " + CORPORATE_NET, "routes = 0.0.0.0/0"));
        awaitServer(Pattern.compile("Session policy changed \\(routes \\[0\\.0\\.0\\.0/0\\]"));

        String iface = "whf" + id;
        Process full = connect(nsAlice, iface, "alice", "correct horse alice", S_TO_A, fingerprint);
        awaitClient(iface, full, Pattern.compile("Connected: 10\\.8\\.0\\.\\d+/32 via "));

        assertPing(nsAlice, CORPORATE_HOST);
        assertTrue(
                nsAlice.execOk("ip", "route", "get", "203.0.113.7").stdout().contains("dev " + iface),
                "any destination goes into the tunnel");
        assertFalse(
                nsAlice.execOk("ip", "route", "get", S_TO_A).stdout().contains("dev " + iface),
                "the server's own address stays outside the tunnel");
        assertTrue(Topology.ping(nsAlice, S_TO_A, 2, 10), "the server is reached outside the tunnel");
        String rules = nsAlice.execOk("ip", "rule", "show").stdout();
        assertTrue(rules.lines().count() > 3, "policy rules keep the server outside the tunnel:\n" + rules);

        full.destroy(); // SIGTERM, as a service manager stops it
        assertTrue(full.waitFor(30, TimeUnit.SECONDS), "the client ended on SIGTERM");
        assertEquals(
                3,
                nsAlice.execOk("ip", "rule", "show").stdout().lines().count(),
                "only the kernel's three default rules are left:\n"
                        + nsAlice.execOk("ip", "rule", "show").stdout() + "\nwhile connected it had:\n" + rules);
        assertEquals("nameserver 198.18.1.53\n", resolvConf(nsAlice), "alice's DNS is restored");
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
    }

    // ---- 15. re-authentication: a session that lapses soon is renewed by the client, tunnel kept -------

    @Test
    @Order(15)
    void theClientReauthenticatesBeforeItsSessionLapsesAndKeepsItsTunnel() throws Exception {
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig("session.lifetime = 45s\n"));
        Thread.sleep(3000); // FileInstall polls etc/ every second; the new lifetime applies to new sessions

        String iface = "whr" + id;
        Process client = connect(nsAlice, iface, "alice", "correct horse alice", S_TO_A, fingerprint);
        Matcher connected = awaitClient(iface, client, Pattern.compile("Connected: (10\\.8\\.0\\.\\d+)/32 via "));
        assertTrue(clientOutput(iface).matches("(?s).*the session lasts until \\S+.*"), clientOutput(iface));

        awaitClient(
                iface,
                client,
                Pattern.compile("Re-authenticated; the session now lasts until "),
                Duration.ofSeconds(60));
        awaitServer(Pattern.compile("user=alice phase=ACTIVE .*detail=re-authenticated with password"));
        Thread.sleep(15_000); // past the first lifetime: the renewed session carries on
        assertPing(nsAlice, CORPORATE_HOST);
        assertTrue(clientCommand(nsAlice, iface, "status", "--interface", iface)
                .requireOk()
                .stdout()
                .contains("state: ACTIVE"));
        assertEquals(
                1,
                count(clientOutput(iface), "Connected: " + connected.group(1)),
                "the same connection, not a new one");
        assertFalse(clientOutput(iface).contains("Connection lost"), clientOutput(iface));

        Command.run(10, "kill", "-INT", Long.toString(client.pid())).requireOk();
        assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the client ended on Ctrl-C");
        writeEtc(SESSIONS_PID + ".cfg", sessionsConfig(""));
    }

    // ---- the server ------------------------------------------------------------------------------

    private Process startServer() throws IOException {
        return nsServer.spawn(
                serverOut,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(HTTP_PORT),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(HTTPS_PORT),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString(),
                "--no-shell");
    }

    private String sessionsConfig(String extra) {
        return "interface = " + serverIface + "\n"
                + "subnet.v4 = " + TUNNEL_NET + "\n"
                + "dns = " + PUSHED_DNS + "\n"
                + "routes = " + TUNNEL_NET + ", " + CORPORATE_NET + "\n"
                + extra;
    }

    private Command.Result userAdmin(String... args) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of(home.resolve("bin/wirehaven").toString(), "user"));
        argv.addAll(List.of(args));
        return Command.run(60, Map.of("JAVA_HOME", System.getProperty("java.home")), argv);
    }

    private Matcher awaitServer(Pattern pattern) {
        return awaitServer(pattern, START_TIMEOUT, false);
    }

    private Matcher awaitServer(Pattern pattern, Duration timeout, boolean optional) {
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ in " + serverOut,
                    timeout,
                    () -> {
                        Matcher m = pattern.matcher(serverOutput());
                        if (m.find()) {
                            return m;
                        }
                        if (!server.isAlive()) {
                            throw new IllegalStateException("the server exited with status " + server.exitValue()
                                    + ":\n" + TestFiles.tail(serverOutput(), 60));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            if (optional) {
                return null;
            }
            throw new AssertionError(e.getMessage() + "\n---- server:\n" + TestFiles.tail(serverOutput(), 60), e);
        }
    }

    private String serverOutput() {
        return TestFiles.read(serverOut);
    }

    // ---- the clients -----------------------------------------------------------------------------

    /** @param pin the fingerprint for {@code --fingerprint}, or null for none */
    private Process connect(Netns ns, String iface, String user, String password, String server, String pin)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                "https://" + server + ":" + HTTPS_PORT,
                "--user",
                user,
                "--password-file",
                passwordFile(user, password).toString(),
                "--interface",
                iface,
                "--device",
                "laptop-" + user,
                "--config-dir",
                work.resolve("config-" + iface).toString()));
        if (pin != null) {
            argv.addAll(List.of("--fingerprint", pin));
        }
        return ns.spawn(
                logDir.resolve(iface + ".out"), clientEnv(work.resolve("run-" + iface)), argv.toArray(String[]::new));
    }

    private Command.Result clientCommand(Netns ns, String iface, String... args) throws IOException {
        List<String> argv =
                new ArrayList<>(List.of(client.resolve("bin/wirehaven-client").toString()));
        argv.addAll(List.of(args));
        return ns.exec(60, clientEnv(work.resolve("run-" + iface)), argv.toArray(String[]::new));
    }

    private Map<String, String> clientEnv(Path runDir) {
        return Map.of(
                "JAVA_HOME",
                OurJvm.javaHome(),
                "WIREHAVEN_CLIENT_RUN_DIR",
                runDir.toString(),
                "WIREHAVEN_CLIENT_OPTS",
                OurJvm.opts());
    }

    private Matcher awaitClient(String iface, Process process, Pattern pattern) {
        return awaitClient(iface, process, pattern, CONNECT_TIMEOUT);
    }

    private Matcher awaitClient(String iface, Process process, Pattern pattern, Duration timeout) {
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ from the client on " + iface,
                    timeout,
                    () -> {
                        Matcher m = pattern.matcher(clientOutput(iface));
                        if (m.find()) {
                            return m;
                        }
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the client exited with status " + process.exitValue()
                                    + ":\n" + clientOutput(iface));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n---- client:\n" + TestFiles.tail(clientOutput(iface), 60) + "\n---- server:\n"
                            + TestFiles.tail(serverOutput(), 60),
                    e);
        }
    }

    private String clientOutput(String iface) {
        return TestFiles.read(logDir.resolve(iface + ".out"));
    }

    /** A field of the state file that {@code connect} keeps for {@code status} and {@code disconnect}. */
    private String stateField(String iface, String field) {
        // the client keys its files by network namespace: <iface>.ns<inode>.json
        Path state;
        try (java.util.stream.Stream<Path> files = Files.list(work.resolve("run-" + iface))) {
            state = files.filter(f -> f.getFileName().toString().matches(Pattern.quote(iface) + "\\.ns\\d+\\.json"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no state file of " + iface + " in run-" + iface));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String json = TestFiles.read(state);
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), "no " + field + " in " + json);
        return m.group(1);
    }

    private Path passwordFile(String user, String password) throws IOException {
        Path file = work.resolve("password-" + user);
        Files.writeString(file, password + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    // ---- the network -----------------------------------------------------------------------------

    /** Gives {@code ns} its own resolv.conf, which {@code ip netns exec} binds over /etc/resolv.conf. */
    private void resolvConf(Netns ns, String content) throws IOException {
        Path dir = Path.of("/etc/netns", ns.name);
        Files.createDirectories(dir);
        netnsEtc.add(dir);
        Files.writeString(dir.resolve("resolv.conf"), content);
    }

    private static String resolvConf(Netns ns) {
        return TestFiles.read(Path.of("/etc/netns", ns.name, "resolv.conf"));
    }

    private void assertPing(Netns from, String to) throws IOException {
        assertTrue(
                Topology.ping(from, to, 3, 20),
                "ping " + to + " from " + from.name + " failed\n---- server:\n" + TestFiles.tail(serverOutput(), 60));
    }

    private static String wg(Netns ns, String... args) throws IOException {
        String[] argv = Stream.concat(Stream.of("wg"), Stream.of(args)).toArray(String[]::new);
        return ns.execOk(argv).stdout().trim();
    }

    private static String newSession(Api api) throws IOException {
        Api.Answer challenge =
                api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}");
        assertEquals(201, challenge.status(), challenge.toString());
        return challenge.field("sessionId");
    }

    // ---- files -----------------------------------------------------------------------------------

    private void writeEtc(String name, String content) throws IOException {
        // written beside and renamed, so that FileInstall never reads half a file
        Path tmp = home.resolve("etc/." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(
                tmp, home.resolve("etc/" + name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
