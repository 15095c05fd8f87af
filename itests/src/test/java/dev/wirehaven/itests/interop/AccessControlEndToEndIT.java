package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
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
 * The access policy acts on the traffic: each user reaches what the policy file allows and nothing
 * else, an edit of the file reaches connected clients without a reconnect, a bad edit keeps the last
 * good policy, and nobody can take an address, a subnet or a key that belongs to someone else.
 *
 * <pre>
 *   ns a: alice's client --+
 *                           +-- 198.18.21.0/24 -- ns s: server (bin/wirehaven) -- 192.168.70.0/24 -- ns k: web1 .10, web2 .11
 *   ns b: bob's client ----+   (198.18.22.0/24)                                        TCP services on 8080, 8081, 22
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessControlEndToEndIT {

    private static final String S_TO_A = "198.18.21.1";
    private static final String A_ADDRESS = "198.18.21.2";
    private static final String S_TO_B = "198.18.22.1";
    private static final String B_ADDRESS = "198.18.22.2";
    private static final String S_TO_K = "192.168.70.1";
    private static final String WEB1 = "192.168.70.10";
    private static final String WEB2 = "192.168.70.11";
    private static final String TUNNEL_NET = "10.10.0.0/24";
    private static final String STATIC_PEER_ADDRESS = "10.10.0.2";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** A policy edit is in force within a second; the slack is for a loaded machine. */
    private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(10);

    private static final String POLICY = """
            host web1 192.168.70.10
            host web2 192.168.70.11
            rule admin-ssh:    step-up totp user:bob -> web2 tcp/22
            rule alice-web:    allow user:alice -> web1 tcp/8080
            rule bob-all:      allow user:bob -> web1, web2
            rule default-deny: deny * -> *
            """;

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whp" + id;

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsServer;
    private Netns nsAlice;
    private Netns nsBob;
    private Netns nsCorp;
    private NetnsServer server;
    private Api api;
    private String keyFingerprint;
    private String staticKey;
    private Process alice;
    private Process bob;
    private byte[] bobSecret;
    private long bobConfirmedStep;

    @BeforeAll
    void startTheServerWithAPolicyAndTwoClients() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "access"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsAlice = Netns.create("a");
        nsBob = Netns.create("b");
        nsCorp = Netns.create("k");
        Topology.link(nsServer, S_TO_A, nsAlice, A_ADDRESS, 24);
        Topology.link(nsServer, S_TO_B, nsBob, B_ADDRESS, 24);
        Topology.link(nsServer, S_TO_K, nsCorp, WEB1, 24);
        nsCorp.execOk("ip", "address", "add", WEB2 + "/24", "dev", "veth0");
        nsServer.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nsCorp.execOk("ip", "route", "add", "default", "via", S_TO_K);
        Process services = Helpers.spawn(
                nsCorp, logDir.resolve("services.out"), TcpProbe.class, "serve", "0.0.0.0", "8080,8081,22");
        Helpers.awaitLine(logDir.resolve("services.out"), "serving", services, 30);

        staticKey = Topology.newPublicKey();
        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = 10.10.0.1/24\n" + "peers = "
                        + staticKey + " allowed-ips " + STATIC_PEER_ADDRESS + "/32,192.168.80.0/24\n");
        server.writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + serverIface + "\nsubnet.v4 = " + TUNNEL_NET + "\nroutes = " + TUNNEL_NET
                        + ", 192.168.70.0/24\nroutes.advertisable = 192.168.0.0/16\nuser.sessions.max = 2\n"
                        + "access.grant.lifetime = 20s\n");
        writePolicy(POLICY);
        Files.copy(
                Distribution.pluginExample("wirehaven-example-monitor-log"),
                home.resolve("deploy/wirehaven-example-monitor-log.jar"));
        server.admin(
                        "user",
                        "add",
                        "alice",
                        "--password-file",
                        secretFile("alice", "alice-password").toString())
                .requireOk();
        server.admin(
                        "user",
                        "add",
                        "bob",
                        "--password-file",
                        secretFile("bob", "bob-password").toString())
                .requireOk();
        // bob's authenticator app, enrolled before the server runs: the factor that opens the step-up service
        Command.Result enrolled = server.admin("totp", "enroll", "bob").requireOk();
        Matcher secret = Pattern.compile("secret=([A-Z2-7]+)").matcher(enrolled.stdout());
        assertTrue(secret.find(), enrolled.stdout());
        bobSecret = AppCodes.decodeBase32(secret.group(1));
        bobConfirmedStep = AppCodes.step(System.currentTimeMillis());
        server.admin("totp", "confirm", "bob", AppCodes.code(bobSecret, bobConfirmedStep))
                .requireOk();

        server.start(HTTP_PORT, HTTPS_PORT);
        keyFingerprint = server.await(Pattern.compile("TLS key fingerprint [^:]*: (SHA256:\\S+)"), START_TIMEOUT)
                .group(1);
        server.await(Pattern.compile("Session flow serving WireGuard interface " + serverIface), START_TIMEOUT);
        server.await(Pattern.compile("Bound policy engine acl from "), START_TIMEOUT);
        api = new Api(nsAlice, "https://" + S_TO_A + ":" + HTTPS_PORT);
        alice = connect(nsAlice, "alice", S_TO_A, "wha" + id);
        bob = connect(nsBob, "bob", S_TO_B, "whb" + id);
    }

    @AfterAll
    void stopEverything() throws IOException {
        // the namespaces first, with the clients in them: a client still running would write its run
        // directory again after it was deleted
        for (Netns ns : new Netns[] {nsAlice, nsBob, nsCorp, nsServer}) {
            if (ns != null) {
                ns.close();
            }
        }
        TestFiles.deleteTree(runDir("wha" + id));
        TestFiles.deleteTree(runDir("whb" + id));
    }

    // ---- 1. each user reaches what the policy allows, and nothing else ------------------------------

    @Test
    @Order(1)
    void aliceReachesOnlyHerOneServiceAndEveryRefusalIsCountedUnderTheRuleThatRefusedIt() throws IOException {
        assertOpen(nsAlice, WEB1, 8080);
        assertClosed(nsAlice, WEB1, 8081);
        assertClosed(nsAlice, WEB2, 8080);
        assertFalse(Topology.ping(nsAlice, WEB1, 1, 3), "ping is not allowed to alice");

        String stats = Eventually.await(
                "the server's device counts alice's refused packets under acl:default-deny",
                EDIT_TIMEOUT,
                () -> nsServer.exec(
                                20,
                                Map.of(),
                                server.home().resolve("bin/wirehaven-wg").toString(),
                                "--stats",
                                serverIface)
                        .stdout(),
                s -> s.contains(" acl:default-deny"));
        assertTrue(stats.contains("filter_denied="), stats);
        server.await(
                Pattern.compile("policy\\.denied.*denied by the access policy.*acl:default-deny"), CONNECT_TIMEOUT);
    }

    @Test
    @Order(2)
    void bobWithAWiderRuleReachesBothHostsButNotTheStepUpService() throws IOException {
        assertOpen(nsBob, WEB1, 8080);
        assertOpen(nsBob, WEB2, 8080);
        assertOpen(nsBob, WEB2, 8081);
        assertTrue(Topology.ping(nsBob, WEB2, 2, 10), "bob may ping");
        assertClosed(nsBob, WEB2, 22);
    }

    // ---- 2. policy edits reach connected clients; a bad edit changes nothing ------------------------

    @Test
    @Order(3)
    void anEditOpensADestinationForAConnectedClientAndASecondEditClosesItWithoutAReconnect() throws Exception {
        int logins = count(server.output(), "authenticated as 'alice'");

        writePolicy(POLICY.replace(
                "rule default-deny", "rule alice-web2:   allow user:alice -> web2 tcp/8080\nrule default-deny"));
        awaitReach(nsAlice, WEB2, 8080, true);
        writePolicy(POLICY);
        awaitReach(nsAlice, WEB2, 8080, false);

        assertOpen(nsAlice, WEB1, 8080);
        assertTrue(alice.isAlive(), "alice's client kept running");
        assertEquals(logins, count(server.output(), "authenticated as 'alice'"), "no new login");
    }

    @Test
    @Order(4)
    void aBadEditIsReportedWithItsLineAndFieldWhileTheLastGoodPolicyStaysInForce() throws Exception {
        int mark = server.output().length();
        writePolicy(POLICY + "rule alice-all:    allow user:alice -> web2 tcp/99999\n");

        Matcher error = server.awaitAfter(mark, Pattern.compile("policy\\.acl:(\\d+): ([^\\n]*)"), EDIT_TIMEOUT);
        assertEquals("7", error.group(1), error.group());
        assertTrue(error.group(2).contains("99999"), error.group());
        assertOpen(nsAlice, WEB1, 8080);
        assertClosed(nsAlice, WEB2, 8080);
        writePolicy(POLICY);
    }

    // ---- 3. a resource behind a step-up (seed UC2: request, check, further factor, grant) -----------

    @Test
    @Order(5)
    void aStepUpServiceOpensOnlyAfterAOneTimeCodeAndClosesWhenTheGrantLapses() throws Exception {
        assertClosed(nsBob, WEB2, 22);
        Command.Result refused = access(nsAlice, "wha" + id, WEB2 + ":22", "");
        assertEquals(4, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("not allowed"), refused.toString());

        long step = Math.max(AppCodes.step(System.currentTimeMillis()), bobConfirmedStep + 1);
        Command.Result granted = access(nsBob, "whb" + id, WEB2 + ":22", AppCodes.code(bobSecret, step));

        assertEquals(0, granted.exitCode(), granted.toString());
        assertTrue(granted.stdout().contains("Granted tcp " + WEB2 + ":22 until"), granted.toString());
        assertOpen(nsBob, WEB2, 22);
        assertTrue(bob.isAlive(), "the tunnel stayed up through the step-up");
        Eventually.await(
                "the grant lapses (access.grant.lifetime = 20s) and the service closes",
                Duration.ofSeconds(45),
                () -> reaches(nsBob, WEB2, 22),
                open -> !open);
        assertOpen(nsBob, WEB2, 8080);
    }

    // ---- 4. addresses, subnets and keys that belong to someone else --------------------------------

    @Test
    @Order(6)
    void askingForTheStaticPeersAddressGivesAnotherAndItsKeyInAnotherSpellingIsRefused() throws Exception {
        Api.Answer config = loginAndServerConfig("bob", "bob-password", Topology.newPublicKey(), STATIC_PEER_ADDRESS);
        assertEquals(200, config.status(), config.toString());
        assertFalse(config.body().contains("\"" + STATIC_PEER_ADDRESS + "/32\""), config.toString());
        assertEquals(
                200,
                api.call("DELETE", "/api/v1/sessions/" + lastSession, lastToken, null)
                        .status());

        // the same key with the unused bits of its last digit set and without padding: one key, another text
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String spelled = staticKey.substring(0, 42) + alphabet.charAt(alphabet.indexOf(staticKey.charAt(42)) ^ 1);
        assertNotEquals(staticKey, spelled);
        Api.Answer stolen = loginAndServerConfig("bob", "bob-password", spelled, null);
        assertEquals(200, stolen.status(), stolen.toString());
        Api.Answer refused = api.call(
                "PUT",
                "/api/v1/sessions/" + lastSession + "/client-config",
                lastToken,
                "{\"publicKey\":\"" + spelled + "\",\"allowedIps\":[]}");
        assertEquals(403, refused.status(), refused.toString());
        assertTrue(refused.body().contains("another peer"), refused.toString());

        String wg = nsServer.execOk("wg", "show", serverIface, "allowed-ips").stdout();
        assertTrue(wg.contains(staticKey + "\t" + STATIC_PEER_ADDRESS + "/32 192.168.80.0/24"), wg);
        server.await(
                Pattern.compile("overlaps " + Pattern.quote(STATIC_PEER_ADDRESS) + "/32 of the static peer"),
                CONNECT_TIMEOUT);
    }

    @Test
    @Order(7)
    void aSubnetOfTheStaticPeerCannotBeAdvertisedNorMoreSpecificOnesOfIt() throws Exception {
        for (String subnet : new String[] {"192.168.80.0/24", "192.168.80.64/26"}) {
            Api.Answer config = loginAndServerConfig("alice", "alice-password", Topology.newPublicKey(), null);
            assertEquals(200, config.status(), config.toString());
            Api.Answer refused = api.call(
                    "PUT",
                    "/api/v1/sessions/" + lastSession + "/client-config",
                    lastToken,
                    "{\"publicKey\":\"" + lastKey + "\",\"allowedIps\":[\"" + subnet + "\"]}");
            assertEquals(403, refused.status(), refused.toString());
            assertTrue(refused.body().contains("static peer"), refused.toString());
            assertEquals(
                    200,
                    api.call("DELETE", "/api/v1/sessions/" + lastSession, lastToken, null)
                            .status());
        }
    }

    @Test
    @Order(8)
    void aUserCannotOpenMoreSessionsThanAllowed() throws Exception {
        // alice's client holds one session; the limit is two
        Api.Answer second = loginAndServerConfig("alice", "alice-password", Topology.newPublicKey(), null);
        assertEquals(200, second.status(), second.toString());

        Api.Answer third = login("alice", "alice-password", Topology.newPublicKey(), null);

        assertEquals(403, third.status(), third.toString());
        assertTrue(third.body().contains("2 sessions"), third.toString());
        assertOpen(nsAlice, WEB1, 8080);
    }

    // ---- 5. a scan inside the tunnel: the detector revokes the session --------------------------------

    @Test
    @Order(9)
    void aScanOfManyDeniedDestinationsInsideTheTunnelRevokesTheScanningSession() throws Exception {
        int mark = server.output().length();

        // 120 ports of a host that the policy closes to alice: each a distinct destination, all denied
        Command.Result scan = Helpers.run(nsAlice, 60, TcpProbe.class, "scan", WEB2, "1000", "1119", "1500");
        assertTrue(scan.stdout().contains("open 0"), "nothing of web2 is open to alice: " + scan);

        // the device's estimate reaches the detector with the next metrics sample (every 10 s)
        Matcher finding = server.awaitAfter(
                mark,
                Pattern.compile(
                        "threat\\.tunnel-scan.*session (\\S+) of 'alice' was denied (\\d+) distinct destinations"),
                Duration.ofSeconds(60));
        assertTrue(Integer.parseInt(finding.group(2)) >= 50, finding.group());
        String sessionId = finding.group(1);
        server.awaitAfter(
                mark,
                Pattern.compile("Security response \\S+ applied: REVOKE_SESSION " + Pattern.quote(sessionId)),
                Duration.ofSeconds(30));
        // the session is closed as an operator's revoke closes it: peer removed, address released
        server.awaitAfter(
                mark,
                Pattern.compile(Pattern.quote(sessionId) + ".*revoked by detector tunnel-scan"),
                Duration.ofSeconds(30));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String lastSession;
    private String lastToken;
    private String lastKey;

    private Api.Answer login(String user, String password, String key, String requestedAddress) throws IOException {
        lastKey = key;
        Api.Answer challenge = api.call(
                "POST",
                "/api/v1/sessions",
                null,
                "{\"publicKey\":\"" + key + "\""
                        + (requestedAddress == null ? "" : ",\"requestedAddress\":\"" + requestedAddress + "\"") + "}");
        assertEquals(201, challenge.status(), challenge.toString());
        lastSession = challenge.field("sessionId");
        Api.Answer auth = api.call(
                "POST",
                "/api/v1/sessions/" + lastSession + "/auth",
                null,
                "{\"method\":\"password\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        lastToken = auth.status() == 200 ? auth.field("token") : null;
        return auth;
    }

    private Api.Answer loginAndServerConfig(String user, String password, String key, String requestedAddress)
            throws IOException {
        Api.Answer auth = login(user, password, key, requestedAddress);
        assertEquals(200, auth.status(), auth.toString());
        return api.call("GET", "/api/v1/sessions/" + lastSession + "/server-config", lastToken, null);
    }

    private Process connect(Netns ns, String user, String serverAddress, String iface) throws IOException {
        Path out = logDir.resolve(iface + ".out");
        Process p = ns.spawn(
                out,
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
                secretFile("client-" + user, user + "-password").toString(),
                "--interface",
                iface,
                "--device",
                "laptop-" + user,
                "--fingerprint",
                keyFingerprint,
                "--config-dir",
                work.resolve("config-" + iface).toString());
        Helpers.awaitConnected(p, out, user + "'s client", "10\\.10\\.0", CONNECT_TIMEOUT, server::output);
        return p;
    }

    /** {@code wirehaven-client access} beside a running client, with {@code answer} on its stdin. */
    private Command.Result access(Netns ns, String iface, String resource, String answer) throws IOException {
        return ns.exec(
                60,
                Map.of(),
                "sh",
                "-c",
                "printf '%s\\n' '" + answer + "' | JAVA_HOME='" + System.getProperty("java.home")
                        + "' WIREHAVEN_CLIENT_RUN_DIR='" + runDir(iface) + "' '"
                        + client.resolve("bin/wirehaven-client") + "' access " + resource + " --interface " + iface);
    }

    /**
     * The client's run directory: short, because the access socket in it is a Unix socket whose path
     * must fit in 108 bytes (a deep build directory would not).
     */
    private static Path runDir(String iface) {
        return Path.of("/tmp", "whr-" + iface);
    }

    private void writePolicy(String text) throws IOException {
        Path etc = server.home().resolve("etc");
        Path temp = etc.resolve(".policy.acl.tmp");
        Files.writeString(temp, text);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(
                temp,
                etc.resolve("policy.acl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean reaches(Netns ns, String host, int port) throws IOException {
        return Helpers.run(ns, 20, TcpProbe.class, "connect", host, Integer.toString(port), "1500")
                        .exitCode()
                == 0;
    }

    private void awaitReach(Netns ns, String host, int port, boolean open) {
        Eventually.await(
                host + ":" + port + (open ? " opens" : " closes"),
                EDIT_TIMEOUT,
                () -> reaches(ns, host, port),
                r -> r == open);
    }

    private void assertOpen(Netns ns, String host, int port) throws IOException {
        assertTrue(
                reaches(ns, host, port), host + ":" + port + " is reachable\n" + TestFiles.tail(server.output(), 30));
    }

    private void assertClosed(Netns ns, String host, int port) throws IOException {
        assertFalse(reaches(ns, host, port), host + ":" + port + " is not reachable");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
