package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.auth.ldap.internal.Slapd;
import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
 * Auth providers are plugins that change under a running server: a client logged in through LDAP keeps
 * passing traffic while the LDAP plugin is updated to a new version, stopped and started again, and the
 * next login uses the new version; with the TOTP plugin removed, a realm that requires TOTP refuses new
 * logins (no silent downgrade) while the tunnel goes on; with the directory down, a login falls back to
 * local passwords and the event log says so.
 *
 * <pre>
 *   ns a: wirehaven-client ---veth 198.18.11.0/24--- ns s: server (bin/wirehaven) ---veth--- ns k: 192.168.60.10
 *                                                          slapd on 127.0.0.1 of ns s
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthProvidersEndToEndIT {

    private static final String S_TO_A = "198.18.11.1";
    private static final String A_ADDRESS = "198.18.11.2";
    private static final String S_TO_K = "192.168.60.1";
    private static final String CORPORATE_HOST = "192.168.60.10";
    private static final String TUNNEL_NET = "10.9.0.0/24";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(30);
    private static final String ALICE_PASSWORD = "alice-directory-password";

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whl" + id;
    private final String aliceIface = "whm" + id;

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsServer;
    private Netns nsAlice;
    private Netns nsCorp;
    private Slapd slapd;
    private NetnsServer server;
    private Api api;
    private Process aliceClient;
    private String keyFingerprint;
    private byte[] bobSecret;
    private long bobConfirmedStep;
    /** The session of the last {@link #login}, for a factor that follows. */
    private String lastSession;

    @BeforeAll
    void startTheDirectoryAndTheServerWithARealm() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("curl") != null, "curl is not installed");
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "auth"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsAlice = Netns.create("a");
        nsCorp = Netns.create("k");
        Topology.link(nsServer, S_TO_A, nsAlice, A_ADDRESS, 24);
        Topology.link(nsServer, S_TO_K, nsCorp, CORPORATE_HOST, 24);
        nsServer.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nsCorp.execOk("ip", "route", "add", "default", "via", S_TO_K);

        slapd = Slapd.startInNamespace(nsServer.name, "/e2e/directory.ldif");
        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = 10.9.0.1/24\n");
        server.writeEtc(
                "dev.wirehaven.server.sessions.cfg",
                "interface = " + serverIface + "\nsubnet.v4 = " + TUNNEL_NET + "\nroutes = " + TUNNEL_NET
                        + ", 192.168.60.0/24\n");
        server.writeEtc(
                "dev.wirehaven.auth.ldap-corp.config",
                "method=\"ldap\"\n"
                        + "urls=[\"" + slapd.ldapUrl() + "\"]\n"
                        + "userDnTemplate=\"uid={0},ou=people,dc=wirehaven,dc=test\"\n"
                        + "groupsFrom=\"search\"\n"
                        + "groupSearchBase=\"ou=groups,dc=wirehaven,dc=test\"\n"
                        + "groupSearchFilter=\"(member={dn})\"\n"
                        + "connectTimeoutMillis=I\"2000\"\n"
                        + "responseTimeoutMillis=I\"3000\"\n"
                        + "prompt=\"Directory password\"\n");
        // everyone logs in with the directory; admins add a code; local passwords stand in while it is down
        server.writeEtc(
                "dev.wirehaven.auth.realm-corp.config",
                "name=\"corp\"\nusers=\"*\"\nprimary=[\"ldap\"]\nsecondFactor=[\"totp\"]\n"
                        + "secondFactorFor=\"groups\"\nsecondFactorGroups=[\"admins\"]\n"
                        + "fallback=[\"password\"]\nfallbackGroups=[\"staff\"]\n");
        // the example sink logs every session and security event: the event log as an operator reads it
        Files.copy(
                Distribution.pluginExample("wirehaven-example-monitor-log"),
                home.resolve("deploy/wirehaven-example-monitor-log.jar"));
        // alice's local account, the fallback while the directory is down
        server.admin(
                        "user",
                        "add",
                        "alice",
                        "--password-file",
                        secretFile("local-alice", ALICE_PASSWORD).toString())
                .requireOk();

        // bob's authenticator app, enrolled and confirmed before the server runs (the offline command line)
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
        server.await(Pattern.compile("Bound auth provider ldap from dev\\.wirehaven\\.auth-ldap"), START_TIMEOUT);
        server.await(Pattern.compile("Bound auth provider totp from dev\\.wirehaven\\.auth-totp"), START_TIMEOUT);
        api = new Api(nsAlice, "https://" + S_TO_A + ":" + HTTPS_PORT);
    }

    @AfterAll
    void stopEverything() throws IOException {
        try {
            if (slapd != null) {
                slapd.close();
            }
        } finally {
            for (Netns ns : new Netns[] {nsAlice, nsCorp, nsServer}) {
                if (ns != null) {
                    ns.close();
                }
            }
        }
    }

    // ---- 1. a login through the directory, and the tunnel it opens ---------------------------------

    @Test
    @Order(1)
    void aliceLogsInThroughTheDirectoryWithTheKindItAsksForAndReachesTheCorporateHost() throws IOException {
        aliceClient = nsAlice.spawn(
                logDir.resolve(aliceIface + ".out"),
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_CLIENT_RUN_DIR",
                                work.resolve("run-" + aliceIface).toString()),
                client.resolve("bin/wirehaven-client").toString(),
                "connect",
                "--server",
                "https://" + S_TO_A + ":" + HTTPS_PORT,
                "--user",
                "alice",
                "--password-file",
                secretFile("alice", ALICE_PASSWORD).toString(),
                "--interface",
                aliceIface,
                "--device",
                "laptop-alice",
                "--fingerprint",
                keyFingerprint,
                "--config-dir",
                work.resolve("config-" + aliceIface).toString());
        awaitClient(Pattern.compile("Connected: (10\\.9\\.0\\.\\d+)/32"));

        assertPing(CORPORATE_HOST, 3);
        server.await(Pattern.compile("authenticated as 'alice' with ldap \\(groups staff\\)"), CONNECT_TIMEOUT);
    }

    // ---- 2. the LDAP plugin updated, stopped and started: the tunnel never notices --------------------

    @Test
    @Order(2)
    void updatingStoppingAndStartingTheLdapPluginNeverInterruptsAlicesTrafficAndTheNextLoginUsesTheNewVersion()
            throws Exception {
        Path deployed = single(server.home().resolve("deploy"), "wirehaven-auth-ldap-");
        Path newer = work.resolve("wirehaven-auth-ldap-newer.jar");
        String newVersion = withBundleVersion(deployed, newer, "0.1.1.e2e");
        // 150 pings 0.2 s apart: half a minute of traffic across everything below
        Process ping = nsAlice.spawn(
                logDir.resolve("ping.out"), Map.of(), "ping", "-c", "150", "-i", "0.2", "-W", "1", CORPORATE_HOST);

        int mark = server.output().length();
        Files.copy(
                newer, deployed.resolveSibling(deployed.getFileName() + ".tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(
                deployed.resolveSibling(deployed.getFileName() + ".tmp"),
                deployed,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        server.awaitAfter(
                mark,
                Pattern.compile(
                        "Bound auth provider ldap from dev\\.wirehaven\\.auth-ldap " + Pattern.quote(newVersion)),
                DEPLOY_TIMEOUT);
        assertEquals(200, login("carol", "carol-directory-password").status(), "a new login with the new version");

        mark = server.output().length();
        Path parked = work.resolve("parked-ldap.jar");
        Files.move(deployed, parked, StandardCopyOption.REPLACE_EXISTING);
        server.awaitAfter(mark, Pattern.compile("Unbound auth provider ldap "), DEPLOY_TIMEOUT);

        mark = server.output().length();
        Files.move(parked, deployed);
        server.awaitAfter(
                mark,
                Pattern.compile(
                        "Bound auth provider ldap from dev\\.wirehaven\\.auth-ldap " + Pattern.quote(newVersion)),
                DEPLOY_TIMEOUT);
        assertEquals(200, login("carol", "carol-directory-password").status(), "a login after the restart");

        assertTrue(ping.waitFor(60, TimeUnit.SECONDS), "the pings ended");
        String pings = TestFiles.read(logDir.resolve("ping.out"));
        assertTrue(
                pings.contains("150 packets transmitted, 150 received"),
                "alice's traffic never stopped while the plugin changed:\n" + TestFiles.tail(pings, 5));
    }

    // ---- 3. no silent downgrade: a required second factor whose plugin is gone ------------------------

    @Test
    @Order(3)
    void withTheTotpPluginRemovedARealmThatRequiresItRefusesNewLoginsWhileAlicesTunnelGoesOn() throws Exception {
        Path totp = single(server.home().resolve("deploy"), "wirehaven-auth-totp-");
        Path parked = work.resolve("parked-totp.jar");
        int mark = server.output().length();
        Files.move(totp, parked, StandardCopyOption.REPLACE_EXISTING);
        server.awaitAfter(mark, Pattern.compile("Unbound auth provider totp "), DEPLOY_TIMEOUT);

        Api.Answer bob = login("bob", "bob-directory-password");

        assertEquals(503, bob.status(), bob.toString());
        assertTrue(bob.body().contains("totp"), "the refusal says what is missing: " + bob);
        assertPing(CORPORATE_HOST, 3);

        mark = server.output().length();
        Files.move(parked, totp);
        server.awaitAfter(mark, Pattern.compile("Bound auth provider totp "), DEPLOY_TIMEOUT);
        Api.Answer again = login("bob", "bob-directory-password");
        assertEquals(401, again.status(), again.toString());
        assertEquals("another_factor_required", again.field("error"));
        assertTrue(again.body().contains("\"kind\":\"ONE_TIME_CODE\""), again.toString());

        // the code from bob's app completes the login: directory password, then TOTP
        long step = Math.max(AppCodes.step(System.currentTimeMillis()), bobConfirmedStep + 1);
        Api.Answer done = api.call(
                "POST",
                "/api/v1/sessions/" + lastSession + "/auth",
                null,
                "{\"method\":\"totp\",\"oneTimeCode\":\"" + AppCodes.code(bobSecret, step) + "\"}");
        assertEquals(200, done.status(), done.toString());
        server.await(Pattern.compile("authenticated as 'bob' with ldap and totp"), CONNECT_TIMEOUT);
    }

    // ---- 4. the directory down: the realm's fallback stands in, and says so ---------------------------

    @Test
    @Order(4)
    void withSlapdStoppedALoginFallsBackToLocalPasswordsWithFewerGroupsAndTheEventLogSaysSo() throws Exception {
        slapd.stop();

        Api.Answer alice = login("alice", ALICE_PASSWORD);

        assertEquals(200, alice.status(), alice.toString());
        server.await(
                Pattern.compile(
                        "auth\\.fallback.*login of 'alice' through fallback password because ldap is unavailable"),
                CONNECT_TIMEOUT);
        Api.Answer carol = login("carol", "carol-directory-password");
        assertEquals(401, carol.status(), "carol has no local account to fall back to: " + carol);
        assertPing(CORPORATE_HOST, 3);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** A login through the API as any client makes it: a connection request, then the password for {@code ldap}. */
    private Api.Answer login(String user, String password) throws IOException {
        Api.Answer challenge =
                api.call("POST", "/api/v1/sessions", null, "{\"publicKey\":\"" + Topology.newPublicKey() + "\"}");
        assertEquals(201, challenge.status(), challenge.toString());
        assertTrue(
                challenge
                        .body()
                        .contains("{\"method\":\"ldap\",\"kind\":\"PASSWORD\",\"prompt\":\"Directory password\"}"),
                "the challenge says what to ask, not only the method's name: " + challenge);
        lastSession = challenge.field("sessionId");
        return api.call(
                "POST",
                "/api/v1/sessions/" + lastSession + "/auth",
                null,
                "{\"method\":\"ldap\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    /** A copy of {@code jar} whose Bundle-Version is {@code version}: the same plugin, released again. */
    private static String withBundleVersion(Path jar, Path copy, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream file = Files.newOutputStream(copy);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                JarEntry entry;
                while ((entry = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return version;
    }

    private static Path single(Path dir, String prefix) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".jar"))
                    .toList();
            assertEquals(1, matches.size(), "one " + prefix + "*.jar in " + dir + ": " + matches);
            return matches.get(0);
        }
    }

    private Matcher awaitClient(Pattern pattern) {
        Path out = logDir.resolve(aliceIface + ".out");
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ from alice's client",
                    CONNECT_TIMEOUT,
                    () -> {
                        Matcher m = pattern.matcher(TestFiles.read(out));
                        if (m.find()) {
                            return m;
                        }
                        if (!aliceClient.isAlive()) {
                            throw new IllegalStateException("the client exited with status " + aliceClient.exitValue()
                                    + ":\n" + TestFiles.read(out));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n---- client:\n" + TestFiles.tail(TestFiles.read(out), 60) + "\n---- server:\n"
                            + TestFiles.tail(server.output(), 60),
                    e);
        }
    }

    private void assertPing(String to, int count) throws IOException {
        assertTrue(
                Topology.ping(nsAlice, to, count, 20),
                "ping " + to + " from alice failed\n---- server:\n" + TestFiles.tail(server.output(), 60));
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
