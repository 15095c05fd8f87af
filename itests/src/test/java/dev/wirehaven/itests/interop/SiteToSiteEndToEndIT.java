package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Site to site (seed use case 3): a branch gateway advertises its LAN, the policy decides, and hosts
 * behind the branch and behind the main office reach each other through the tunnel, both ways, with
 * ping and TCP. Hosts of the main office may open any flow toward the admitted branch subnet (the
 * session's {@code site:} stage); flows that the branch opens are judged by the policy's rules for
 * the branch's user. Without an {@code advertise} line (and with {@code routes.advertisable} empty)
 * the same advertisement is refused and the client says so, naming the subnet; with the operator's
 * {@code routes.advertisable} and no policy line it is admitted again.
 *
 * <pre>
 *   ns m: main office host          ns s: server                 ns g: branch gateway            ns h: branch host
 *   192.168.70.10  --- veth ---  192.168.70.1 | 198.18.31.1  --- veth ---  198.18.31.2 | 192.168.30.1  --- veth ---  192.168.30.10
 *   default via .1                bin/wirehaven, whn&lt;id&gt;        wirehaven-client connect        default via .1
 *   TCP 8080, 8081                10.11.0.1/24, ip_forward,     --advertise 192.168.30.0/24,    TCP 8080, 22
 *                                 routes 192.168.30.0/24        whg&lt;id&gt;, ip_forward
 *                                 into whn&lt;id&gt; itself
 * </pre>
 *
 * The branch gateway runs the real client, {@code wirehaven-client connect --advertise
 * 192.168.30.0/24}, which routes the server's pushed routes into its tunnel; the test only turns on
 * forwarding in the gateway's namespace, as a branch router has it. The server routes the admitted
 * subnet into its interface by itself (the interface's {@code routePeerSubnets}, on by default: a
 * kernel route {@code 192.168.30.0/24 dev whn<id> proto 82} while a peer has the prefix), and removes
 * that route again when the session ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SiteToSiteEndToEndIT {

    private static final String S_TO_G = "198.18.31.1";
    private static final String G_ADDRESS = "198.18.31.2";
    private static final String S_TO_M = "192.168.70.1";
    private static final String MAIN_HOST = "192.168.70.10";
    private static final String G_TO_H = "192.168.30.1";
    private static final String BRANCH_HOST = "192.168.30.10";
    private static final String BRANCH_NET = "192.168.30.0/24";
    private static final String TUNNEL_NET = "10.11.0.0/24";
    private static final String MAIN_NET = "192.168.70.0/24";
    private static final int HTTPS_PORT = 8443;
    private static final int HTTP_PORT = 18080;
    private static final int WG_PORT = 51820;
    private static final String BRANCH_USER = "branch1";
    private static final String BRANCH_PASSWORD = "branch one's router password";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** A policy or configuration edit is in force within seconds; the slack is for a loaded machine. */
    private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(30);
    /** The server syncs its routes with its peers every second. */
    private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(15);

    private static final String ADVERTISE_LINE = "advertise branch-lan: user:branch1 -> " + BRANCH_NET + "\n";
    private static final String RULES = """
            network mainlan 192.168.70.0/24
            rule branch-to-main: allow user:branch1 -> mainlan tcp/8080, icmp
            rule default-deny:   deny * -> *
            """;
    private static final String POLICY = RULES + ADVERTISE_LINE;
    private static final Pattern CONNECTED = Pattern.compile("Connected: (10\\.11\\.0\\.\\d+)/32");

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whn" + id;
    private final String gatewayIface = "whg" + id;
    private final AtomicInteger attempts = new AtomicInteger();

    private Path logDir;
    private Path work;
    private Path client;
    private Netns nsServer;
    private Netns nsGateway;
    private Netns nsMain;
    private Netns nsBranch;
    private NetnsServer server;
    private String keyFingerprint;
    private Path passwordFile;
    /** The gateway's connect process while one runs. */
    private Gateway gateway;
    /** The output of the latest connect process. */
    private Path lastOut;

    /** A running {@code wirehaven-client connect} on the gateway, and the tunnel address it was given. */
    private record Gateway(Process process, Path out, String address) {}

    @BeforeAll
    void startTheServerAndTheTwoSites() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        String clientDist = System.getProperty("wirehaven.client.dist");
        assumeTrue(
                clientDist != null && Files.isExecutable(Path.of(clientDist, "bin/wirehaven-client")),
                "the client distribution is not unpacked (-Dwirehaven.client.dist)");
        client = Path.of(clientDist);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "site"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        Path home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));

        nsServer = Netns.create("s");
        nsGateway = Netns.create("g");
        nsMain = Netns.create("m");
        nsBranch = Netns.create("h");
        Topology.link(nsServer, S_TO_G, nsGateway, G_ADDRESS, 24);
        Topology.link(nsServer, S_TO_M, nsMain, MAIN_HOST, 24);
        Topology.link(nsGateway, G_TO_H, nsBranch, BRANCH_HOST, 24);
        nsServer.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // the branch router forwards for its LAN: the client asks for that (Usage) and does not do it itself
        nsGateway.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nsMain.execOk("ip", "route", "add", "default", "via", S_TO_M);
        nsBranch.execOk("ip", "route", "add", "default", "via", G_TO_H);
        Process mainServices = Helpers.spawn(
                nsMain, logDir.resolve("main-services.out"), TcpProbe.class, "serve", "0.0.0.0", "8080,8081");
        Process branchServices = Helpers.spawn(
                nsBranch, logDir.resolve("branch-services.out"), TcpProbe.class, "serve", "0.0.0.0", "8080,22");
        Helpers.awaitLine(logDir.resolve("main-services.out"), "serving", mainServices, 30);
        Helpers.awaitLine(logDir.resolve("branch-services.out"), "serving", branchServices, 30);

        server = new NetnsServer(nsServer, home, logDir.resolve("server.out"));
        server.writeEtc(
                "dev.wirehaven.wireguard.interface-" + serverIface + ".cfg",
                "name = " + serverIface + "\nlistenPort = " + WG_PORT + "\naddresses = 10.11.0.1/24\n");
        server.writeEtc("dev.wirehaven.server.sessions.cfg", sessionsConfig(""));
        writePolicy(POLICY);
        // the example monitoring sink logs every session and security event: the log shows the decisions
        Files.copy(
                Distribution.pluginExample("wirehaven-example-monitor-log"),
                home.resolve("deploy/wirehaven-example-monitor-log.jar"));
        server.admin(
                        "user",
                        "add",
                        BRANCH_USER,
                        "--password-file",
                        secretFile("server-" + BRANCH_USER, BRANCH_PASSWORD).toString())
                .requireOk();
        passwordFile = secretFile("client-" + BRANCH_USER, BRANCH_PASSWORD);

        server.start(HTTP_PORT, HTTPS_PORT);
        keyFingerprint = server.await(Pattern.compile("TLS key fingerprint [^:]*: (SHA256:\\S+)"), START_TIMEOUT)
                .group(1);
        server.await(Pattern.compile("Session flow serving WireGuard interface " + serverIface), START_TIMEOUT);
        server.await(Pattern.compile("Bound policy engine acl from "), START_TIMEOUT);
        server.await(Pattern.compile("Policy version \\d+ from .* 1 advertisement\\(s\\)"), START_TIMEOUT);
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (gateway != null && gateway.process().isAlive() && nsGateway != null) {
            clientCommand("disconnect");
        }
        TestFiles.deleteTree(runDir());
        for (Netns ns : new Netns[] {nsBranch, nsMain, nsGateway, nsServer}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    // ---- 1. the branch advertises its LAN, the policy admits it, both sites reach each other ----------

    @Test
    @Order(1)
    void theBranchAdvertisesItsLanAndHostsOfBothSitesReachEachOtherThroughTheTunnel() throws IOException {
        gateway = connect(BRANCH_NET);
        server.await(
                Pattern.compile("user=" + BRANCH_USER + " phase=CONFIGURED .*detail=client config accepted; advertises "
                        + Pattern.quote(BRANCH_NET)),
                CONNECT_TIMEOUT);
        String allowed =
                nsServer.execOk("wg", "show", serverIface, "allowed-ips").stdout();
        assertTrue(
                allowed.contains("\t" + gateway.address() + "/32 " + BRANCH_NET),
                "the server routes the branch LAN to the branch's peer:\n" + allowed);

        // the server routes the admitted subnet into its interface itself: no route by hand, no postUp
        String route = awaitServerRoute(true);
        assertTrue(route.contains("proto 82"), "the server's own route, marked as such: " + route);
        server.await(
                Pattern.compile("WireGuard interface " + serverIface + ": route " + Pattern.quote(BRANCH_NET) + " dev "
                        + serverIface + " proto 82 added \\(an allowed IP of peer "),
                ROUTE_TIMEOUT);

        // the main office opens flows toward the branch: any service (the session's site stage)
        assertPing(nsMain, BRANCH_HOST);
        assertOpen(nsMain, BRANCH_HOST, 8080);
        assertOpen(nsMain, BRANCH_HOST, 22);
        // the branch opens flows toward the main office: the policy's rules for user:branch1 decide
        assertPing(nsBranch, MAIN_HOST);
        assertOpen(nsBranch, MAIN_HOST, 8080);
        assertClosed(nsBranch, MAIN_HOST, 8081);

        String stats = Eventually.await(
                "the server's device counts the branch's refused flow to 8081 under acl:default-deny",
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
    }

    // ---- 2. the policy decides: without its advertise line the same advertisement is refused ---------

    @Test
    @Order(2)
    void withoutTheAdvertiseLineTheSameAdvertisementIsRefusedAndWithItAgainAdmitted() throws IOException {
        disconnect();
        awaitServerRoute(false);
        assertTrue(
                server.output()
                        .contains("WireGuard interface " + serverIface + ": route " + BRANCH_NET + " dev " + serverIface
                                + " removed (no peer has it any more)"),
                "the server removed its route with the session's peer");

        int mark = server.output().length();
        writePolicy(RULES);
        server.awaitAfter(mark, Pattern.compile("Policy version \\d+ from .* 0 advertisement\\(s\\)"), EDIT_TIMEOUT);

        Command.Result refused = connectRefused(BRANCH_NET);
        assertTrue(
                refused.stderr().contains("wirehaven-client: the server refused the configuration (403 "),
                "the client names the refused step: " + refused);
        assertTrue(refused.stderr().contains("Advertising " + BRANCH_NET + " is not allowed"), refused.toString());
        assertTrue(refused.stderr().contains("no policy allows it"), refused.toString());
        assertFalse(
                nsServer.execOk("wg", "show", serverIface, "allowed-ips")
                        .stdout()
                        .contains(BRANCH_NET),
                "no peer routes the branch LAN");
        assertEquals(
                "", nsServer.execOk("ip", "route", "show", BRANCH_NET).stdout().trim(), "no kernel route either");
        server.await(
                Pattern.compile("security type=\\S+ .*user=" + BRANCH_USER + " .*refused advertisement: Advertising "
                        + Pattern.quote(BRANCH_NET)),
                CONNECT_TIMEOUT);
        assertFalse(Topology.ping(nsMain, BRANCH_HOST, 1, 3), "the main office does not reach the branch");

        // the same client, the same request: only the policy file changed
        mark = server.output().length();
        writePolicy(POLICY);
        server.awaitAfter(mark, Pattern.compile("Policy version \\d+ from .* 1 advertisement\\(s\\)"), EDIT_TIMEOUT);
        gateway = connect(BRANCH_NET);
        assertTrue(
                nsServer.execOk("wg", "show", serverIface, "allowed-ips")
                        .stdout()
                        .contains(BRANCH_NET),
                "the branch's peer routes the branch LAN");
        awaitServerRoute(true);
        assertPing(nsMain, BRANCH_HOST);
        disconnect();
        awaitServerRoute(false);
    }

    // ---- 3. with no policy line, the operator's routes.advertisable decides ---------------------------

    @Test
    @Order(3)
    void withNoPolicyLineTheOperatorsAdvertisableSubnetsDecide() throws IOException {
        int mark = server.output().length();
        writePolicy(RULES);
        server.awaitAfter(mark, Pattern.compile("Policy version \\d+ from .* 0 advertisement\\(s\\)"), EDIT_TIMEOUT);
        server.writeEtc("dev.wirehaven.server.sessions.cfg", sessionsConfig("routes.advertisable = 192.168.0.0/16\n"));

        // the configuration is read within seconds: until then the client is refused and tries again
        gateway = Eventually.await(
                "the new routes.advertisable admits " + BRANCH_NET,
                EDIT_TIMEOUT,
                () -> {
                    Gateway g = tryConnect(BRANCH_NET);
                    if (g == null) {
                        Thread.sleep(500);
                    }
                    return g;
                },
                g -> g != null);
        assertTrue(
                nsServer.execOk("wg", "show", serverIface, "allowed-ips")
                        .stdout()
                        .contains(BRANCH_NET),
                "the branch's peer routes the branch LAN");
        awaitServerRoute(true);
        disconnect();

        // outside routes.advertisable and without a policy line: refused
        Command.Result refused = connectRefused("172.16.30.0/24");
        assertTrue(refused.stderr().contains("Advertising 172.16.30.0/24 is not allowed"), refused.toString());
        server.writeEtc("dev.wirehaven.server.sessions.cfg", sessionsConfig(""));
    }

    // ---- the branch gateway: wirehaven-client connect --advertise ---------------------------------------

    /** Connects the gateway, advertising {@code subnet}; fails unless the client says it is connected. */
    private Gateway connect(String subnet) throws IOException {
        Gateway g = tryConnect(subnet);
        assertNotNull(
                g,
                "the client exited:\n" + TestFiles.tail(TestFiles.read(lastOut), 40) + "\n---- server:\n"
                        + TestFiles.tail(server.output(), 60));
        return g;
    }

    /**
     * Starts {@code wirehaven-client connect --advertise subnet} on the gateway and waits until it
     * says it is connected (its process then keeps the connection) or exits.
     *
     * @return the connection, or {@code null} when the client exited (refused)
     */
    private Gateway tryConnect(String subnet) throws IOException {
        Path out = logDir.resolve(gatewayIface + "-" + attempts.incrementAndGet() + ".out");
        lastOut = out;
        Process p = nsGateway.spawn(out, clientEnvironment(), connectCommand(subnet));
        try {
            return Eventually.await(
                            "the branch gateway's client connects or exits",
                            CONNECT_TIMEOUT,
                            () -> {
                                Matcher connected = CONNECTED.matcher(TestFiles.read(out));
                                if (connected.find()) {
                                    return Optional.of(new Gateway(p, out, connected.group(1)));
                                }
                                return p.isAlive() ? null : Optional.<Gateway>empty();
                            },
                            result -> result != null)
                    .orElse(null);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n---- client:\n" + TestFiles.tail(TestFiles.read(out), 40) + "\n---- server:\n"
                            + TestFiles.tail(server.output(), 60),
                    e);
        }
    }

    /** Runs {@code wirehaven-client connect --advertise subnet} to its end; it must fail (exit 1). */
    private Command.Result connectRefused(String subnet) throws IOException {
        Command.Result result = nsGateway.exec(90, clientEnvironment(), connectCommand(subnet));
        assertEquals(1, result.exitCode(), "the client fails: " + result);
        assertFalse(
                nsGateway.exec("ip", "link", "show", gatewayIface).exitCode() == 0,
                "the refused client left no interface behind");
        return result;
    }

    private String[] connectCommand(String subnet) {
        return new String[] {
            client.resolve("bin/wirehaven-client").toString(),
            "connect",
            "--server",
            "https://" + S_TO_G + ":" + HTTPS_PORT,
            "--user",
            BRANCH_USER,
            "--password-file",
            passwordFile.toString(),
            "--interface",
            gatewayIface,
            "--device",
            "branch1-router",
            "--fingerprint",
            keyFingerprint,
            "--config-dir",
            work.resolve("config-" + gatewayIface).toString(),
            "--advertise",
            subnet
        };
    }

    /** {@code wirehaven-client disconnect}: the session ends on the server, the gateway's tunnel goes. */
    private void disconnect() throws IOException {
        Gateway g = gateway;
        gateway = null;
        clientCommand("disconnect").requireOk();
        Eventually.await(
                "the gateway's connect process to end",
                CONNECT_TIMEOUT,
                () -> g.process().isAlive(),
                a -> !a);
        Eventually.await(
                "the branch's peer to leave " + serverIface,
                CONNECT_TIMEOUT,
                () -> nsServer.execOk("wg", "show", serverIface, "allowed-ips").stdout(),
                peers -> !peers.contains("\t" + g.address() + "/32"));
    }

    private Command.Result clientCommand(String command) throws IOException {
        return nsGateway.exec(
                60,
                clientEnvironment(),
                client.resolve("bin/wirehaven-client").toString(),
                command,
                "--interface",
                gatewayIface);
    }

    private Map<String, String> clientEnvironment() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"), "WIREHAVEN_CLIENT_RUN_DIR", runDir().toString());
    }

    /**
     * The client's run directory: short, because the access socket in it is a Unix socket whose path
     * must fit in 108 bytes (a deep build directory would not).
     */
    private Path runDir() {
        return Path.of("/tmp", "whr-" + gatewayIface);
    }

    /**
     * Waits until the server's namespace has ({@code present}) or has not a route to the branch LAN
     * into the server's interface, and returns {@code ip route show 192.168.30.0/24}.
     */
    private String awaitServerRoute(boolean present) {
        return Eventually.await(
                "the server's kernel route " + BRANCH_NET + " dev " + serverIface + (present ? "" : " to go"),
                ROUTE_TIMEOUT,
                () -> nsServer.execOk("ip", "route", "show", BRANCH_NET).stdout(),
                r -> r.contains("dev " + serverIface) == present);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String sessionsConfig(String extra) {
        return "interface = " + serverIface + "\nsubnet.v4 = " + TUNNEL_NET + "\nroutes = " + TUNNEL_NET + ", "
                + MAIN_NET + "\n" + extra;
    }

    private void writePolicy(String text) throws IOException {
        Path etc = server.home().resolve("etc");
        Path temp = etc.resolve(".policy.acl.tmp");
        Files.writeString(temp, text);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(
                temp, etc.resolve("policy.acl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean reaches(Netns ns, String host, int port) throws IOException {
        return Helpers.run(ns, 20, TcpProbe.class, "connect", host, Integer.toString(port), "1500")
                        .exitCode()
                == 0;
    }

    private void assertPing(Netns ns, String host) throws IOException {
        assertTrue(
                Topology.ping(ns, host, 3, 20),
                host + " answers pings from " + ns.name + "\n---- server:\n" + TestFiles.tail(server.output(), 40)
                        + "\n---- client:\n"
                        + (gateway == null ? "" : TestFiles.tail(TestFiles.read(gateway.out()), 20)));
    }

    private void assertOpen(Netns ns, String host, int port) throws IOException {
        assertTrue(
                reaches(ns, host, port),
                host + ":" + port + " is reachable from " + ns.name + "\n" + TestFiles.tail(server.output(), 30));
    }

    private void assertClosed(Netns ns, String host, int port) throws IOException {
        assertFalse(reaches(ns, host, port), host + ":" + port + " is not reachable from " + ns.name);
    }

    private Path secretFile(String name, String secret) throws IOException {
        Path file = work.resolve("secret-" + name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
