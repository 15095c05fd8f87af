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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * A remote worker's full tunnel: the server's interface configuration says {@code forwarding = true}
 * and {@code masquerade = <the veth toward the internet>}, and the server sets up and tears down
 * its own forwarding and nftables masquerade, with no iptables line in postUp.
 *
 * <pre>
 *   namespace C: client (wireguard-go)   namespace S: bin/wirehaven              namespace I: "internet"
 *   veth0 198.18.1.2 ------------------ toc 198.18.1.1                           203.0.113.10
 *   whcN  10.8.0.2 fd00:8::2             whsN 10.8.0.1/24 fd00:8::1/64            2001:db8:113::10
 *   AllowedIPs 0.0.0.0/0, ::/0           toi 203.0.113.1 2001:db8:113::1 ------- veth0
 *   default routes through whcN          forwarding = true, masquerade = toi      no route to 10.8.0.0/24
 * </pre>
 *
 * The client is a stock WireGuard peer, listed as a static peer of the server's interface (not a
 * session, so no access policy of the session layer applies to it). The internet host has no route
 * back to the tunnel subnet: its pings come back only because the server masquerades them, and its
 * own nftables counters say which source address it saw. The steps build on each other on one
 * server: a table that a crashed server left is replaced at start; the client reaches the internet
 * host through the tunnel; turning the keys off in place takes everything off the host, and on again
 * with {@code masquerade = auto} (the global forwarding switches); deleting the configuration
 * removes the table and gives the forwarding parameters their previous values; so does stopping
 * the server. Everything happens in namespaces that this test
 * creates and deletes: the host's own firewall, routes and kernel parameters are never touched.
 * Skipped unless root with {@code ip}, {@code wg}, {@code wireguard-go}, {@code nft} and
 * {@code -Dwirehaven.dist}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullTunnelIT {

    private static final String FACTORY_PID = "dev.wirehaven.wireguard.interface";
    private static final String S_TO_C = "198.18.1.1";
    private static final String C_ADDRESS = "198.18.1.2";
    private static final String S_TO_I = "203.0.113.1";
    private static final String INTERNET_HOST = "203.0.113.10";
    private static final String S_TO_I6 = "2001:db8:113::1";
    private static final String INTERNET_HOST6 = "2001:db8:113::10";
    private static final String CLIENT_TUN4 = "10.8.0.2";
    private static final String CLIENT_TUN6 = "fd00:8::2";
    private static final String SERVER_TUN4 = "10.8.0.1";
    /** The server's veth toward the internet host, as {@link Topology#link} names it in the server namespace. */
    private static final String OUT = "toi";

    private static final int WG_PORT = 51820;
    private static final int HTTP_PORT = 18080;
    private static final int HTTPS_PORT = 8443;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    private static final int EXIT_ON_SIGTERM = 128 + 15;

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String serverIface = "whs" + id;
    private final String clientIface = "whc" + id;
    private final String table = "wirehaven_" + serverIface;

    private Path logDir;
    private Path work;
    private Path home;
    private Path serverOut;
    private Netns nsClient;
    private Netns nsServer;
    private Netns nsInternet;
    private Process server;
    private WgSide client;
    private String serverPublicKey;
    /** The server namespace's forwarding parameters before the server ran, by path under /proc/sys. */
    private Map<String, String> before;

    @BeforeAll
    void buildTheNamespacesAndStartTheServer() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        assumeTrue(Command.which("nft") != null, "nftables' nft is not installed");
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "fulltunnel"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));
        serverOut = logDir.resolve("server.out");

        nsServer = Netns.create("s");
        nsClient = Netns.create("c");
        nsInternet = Netns.create("i");
        Topology.link(nsServer, S_TO_C, nsClient, C_ADDRESS, 24);
        Topology.link(nsServer, S_TO_I, nsInternet, INTERNET_HOST, 24);
        nsServer.execOk("ip", "-6", "address", "add", S_TO_I6 + "/64", "dev", OUT, "nodad");
        nsInternet.execOk("ip", "-6", "address", "add", INTERNET_HOST6 + "/64", "dev", "veth0", "nodad");
        // the internet host knows its own link only: nothing routes 10.8.0.0/24 or fd00:8::/64 back
        nsInternet.execOk("nft", "-f", writeWork("probe.nft", probeRuleset()).toString());

        before = forwardingParameters();
        // a table of the same name, left by a crashed server: replaced at start, not duplicated
        nsServer.execOk("nft", "add", "table", "inet", table);
        nsServer.execOk("nft", "add", "chain", "inet", table, "leftover");

        client = new WgSide(nsClient, clientIface, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        writeConfiguration(interfaceConfiguration(OUT));
        server = nsServer.spawn(
                serverOut,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(HTTP_PORT),
                        "WIREHAVEN_HTTPS_PORT", Integer.toString(HTTPS_PORT),
                        "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString(),
                "--no-shell");
    }

    @AfterAll
    void stopEverything() throws IOException {
        try {
            if (server != null && server.isAlive()) {
                server.destroyForcibly();
            }
        } finally {
            for (Netns ns : new Netns[] {nsClient, nsInternet, nsServer}) {
                if (ns != null) {
                    ns.close();
                }
            }
        }
    }

    // ---- 1. the server comes up with its forwarding and its own table ---------------------------

    @Test
    @Order(1)
    void theServerPutsItsForwardingAndItsTableInPlaceReplacingALeftover() throws IOException {
        Matcher up = awaitLine(
                0,
                Pattern.compile("WireGuard interface " + serverIface + " is up: listen port " + WG_PORT
                        + ", .* public key (\\S+) "),
                START_TIMEOUT);
        serverPublicKey = up.group(1);

        String ours = nsServer.execOk("nft", "list", "table", "inet", table).stdout();
        assertTrue(ours.contains("oifname \"" + OUT + "\" ip saddr 10.8.0.0/24 masquerade"), ours);
        assertTrue(ours.contains("oifname \"" + OUT + "\" ip6 saddr fd00:8::/64 masquerade"), ours);
        assertTrue(ours.contains("iifname \"" + serverIface + "\" oifname \"" + OUT + "\" accept"), ours);
        assertFalse(ours.contains("leftover"), "the crashed server's table was replaced:\n" + ours);
        assertEquals(
                1,
                nsServer.execOk("nft", "list", "tables")
                        .stdout()
                        .lines()
                        .filter(l -> l.equals("table inet " + table))
                        .count());

        assertEquals("1", parameter(nsServer, "net/ipv4/conf/" + serverIface + "/forwarding"));
        assertEquals("1", parameter(nsServer, "net/ipv4/conf/" + OUT + "/forwarding"));
        assertEquals(
                before.get("net/ipv4/conf/all/forwarding"),
                parameter(nsServer, "net/ipv4/conf/all/forwarding"),
                "a named outgoing interface needs no global switch for IPv4");
        assertTrue(
                serverOutput().contains("WireGuard interface " + serverIface + ": forwarding on ("),
                TestFiles.tail(serverOutput(), 40));
    }

    // ---- 2. the client reaches the internet host only thanks to the masquerade -----------------

    @Test
    @Order(2)
    void theClientReachesTheInternetHostWhichSeesTheServersAddress() throws IOException {
        client.start();
        nsClient.execOk("ip", "address", "add", CLIENT_TUN4 + "/24", "dev", clientIface);
        nsClient.execOk("ip", "-6", "address", "add", CLIENT_TUN6 + "/64", "dev", clientIface, "nodad");
        nsClient.execOk("ip", "link", "set", clientIface, "up");
        client.wg(
                "set",
                clientIface,
                "private-key",
                client.keyFile().toString(),
                "peer",
                serverPublicKey,
                "allowed-ips",
                "0.0.0.0/0,::/0",
                "endpoint",
                S_TO_C + ":" + WG_PORT);
        // a full tunnel: everything but the link to the server's endpoint goes through it
        nsClient.execOk("ip", "route", "add", "default", "dev", clientIface);
        nsClient.execOk("ip", "-6", "route", "add", "default", "dev", clientIface);
        assertNotEquals(
                0,
                nsInternet.exec("ip", "route", "get", CLIENT_TUN4).exitCode(),
                "the internet host has no route back to the tunnel");
        assertNotEquals(
                0, nsInternet.exec("ip", "-6", "route", "get", CLIENT_TUN6).exitCode());

        assertPing(nsClient, INTERNET_HOST);
        assertPing(nsClient, INTERNET_HOST6);

        assertTrue(counter("from_server4") >= 1, "the echo requests came from " + S_TO_I + "\n" + probe());
        assertEquals(0, counter("from_tunnel4"), "none with a tunnel address\n" + probe());
        assertTrue(counter("from_server6") >= 1, "the IPv6 echo requests came from " + S_TO_I6 + "\n" + probe());
        assertEquals(0, counter("from_tunnel6"), probe());
    }

    // ---- 3. the keys turned off and on again on the running interface -----------------------------

    @Test
    @Order(3)
    void turningTheKeysOffTakesEverythingOffTheHostAndTheInterfaceRunsOn() throws IOException {
        int offset = serverOutput().length();
        writeConfiguration(interfaceConfiguration(null));

        awaitLine(offset, Pattern.compile("WireGuard interface " + serverIface + ": forwarding off"), CHANGE_TIMEOUT);
        assertNoTableOfOurs();
        assertEquals(before, forwardingParameters());
        assertFalse(Topology.ping(nsClient, INTERNET_HOST, 1, 3), "no forwarding any more");
        assertPing(nsClient, SERVER_TUN4);
        assertFalse(
                serverOutput().substring(offset).contains("WireGuard interface " + serverIface + " removed"),
                "the interface was not recreated");

        // on again with auto: any outgoing interface, so the global switches (given back in step 4)
        offset = serverOutput().length();
        writeConfiguration(interfaceConfiguration("auto"));

        awaitLine(offset, Pattern.compile("WireGuard interface " + serverIface + ": forwarding on"), CHANGE_TIMEOUT);
        assertEquals("1", parameter(nsServer, "net/ipv4/conf/all/forwarding"));
        assertEquals("1", parameter(nsServer, "net/ipv6/conf/all/forwarding"));
        assertTrue(
                nsServer.execOk("nft", "list", "table", "inet", table)
                        .stdout()
                        .contains("oifname != \"" + serverIface + "\" ip saddr 10.8.0.0/24 masquerade"),
                "auto: any interface but the WireGuard one");
        assertPing(nsClient, INTERNET_HOST);
        assertPing(nsClient, INTERNET_HOST6);
    }

    // ---- 4. deleting the configuration leaves nothing of ours -------------------------------------

    @Test
    @Order(4)
    void deletingTheConfigurationRemovesTheTableAndRestoresTheForwarding() throws IOException {
        int offset = serverOutput().length();
        Files.delete(configurationFile());

        awaitLine(offset, Pattern.compile("WireGuard interface " + serverIface + " removed"), CHANGE_TIMEOUT);
        assertNoTableOfOurs();
        assertEquals(before, forwardingParameters());
        assertTrue(server.isAlive());
    }

    // ---- 5. stopping the server leaves nothing of ours either -------------------------------------

    @Test
    @Order(5)
    void stoppingTheServerRemovesTheTableAndRestoresTheForwarding() throws IOException, InterruptedException {
        int offset = serverOutput().length();
        writeConfiguration(interfaceConfiguration(OUT));
        awaitLine(offset, Pattern.compile("WireGuard interface " + serverIface + " is up: "), CHANGE_TIMEOUT);
        assertEquals("1", parameter(nsServer, "net/ipv4/conf/" + OUT + "/forwarding"));
        assertPing(nsClient, INTERNET_HOST);

        // ip netns exec and bin/wirehaven both exec, so the process is the JVM itself
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop within 30 s of SIGTERM");
        assertEquals(EXIT_ON_SIGTERM, server.exitValue());

        assertNoTableOfOurs();
        assertEquals(before, forwardingParameters());
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** @param masquerade the outgoing interface, {@code auto}, or {@code null} for neither forwarding nor masquerade */
    private String interfaceConfiguration(String masquerade) {
        return "name = " + serverIface + "\n"
                + "listenPort = " + WG_PORT + "\n"
                + "addresses = " + SERVER_TUN4 + "/24, fd00:8::1/64\n"
                + "peers = " + client.publicKey + " allowed-ips " + CLIENT_TUN4 + "/32," + CLIENT_TUN6 + "/128\n"
                + (masquerade != null
                        ? "forwarding = true\nmasquerade = " + masquerade + "\n"
                        : "forwarding = false\n");
    }

    /** Counters of what reaches the internet host, by source: the server's address or a tunnel address. */
    private static String probeRuleset() {
        return "table inet probe {\n"
                + "\tcounter from_server4 { }\n"
                + "\tcounter from_tunnel4 { }\n"
                + "\tcounter from_server6 { }\n"
                + "\tcounter from_tunnel6 { }\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy accept;\n"
                + "\t\tip saddr " + S_TO_I + " icmp type echo-request counter name \"from_server4\"\n"
                + "\t\tip saddr 10.8.0.0/24 counter name \"from_tunnel4\"\n"
                + "\t\tip6 saddr " + S_TO_I6 + " icmpv6 type echo-request counter name \"from_server6\"\n"
                + "\t\tip6 saddr fd00:8::/64 counter name \"from_tunnel6\"\n"
                + "\t}\n"
                + "}\n";
    }

    private long counter(String name) throws IOException {
        String listed = nsInternet
                .execOk("nft", "list", "counter", "inet", "probe", name)
                .stdout();
        Matcher m = Pattern.compile("packets (\\d+)").matcher(listed);
        assertTrue(m.find(), listed);
        return Long.parseLong(m.group(1));
    }

    private String probe() throws IOException {
        return nsInternet.execOk("nft", "list", "table", "inet", "probe").stdout();
    }

    /** The forwarding parameters of the server namespace that the server may touch (the interface's own aside). */
    private Map<String, String> forwardingParameters() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String path : List.of(
                "net/ipv4/conf/all/forwarding",
                "net/ipv4/conf/default/forwarding",
                "net/ipv4/conf/" + OUT + "/forwarding",
                "net/ipv4/conf/toc/forwarding",
                "net/ipv6/conf/all/forwarding",
                "net/ipv6/conf/" + OUT + "/forwarding",
                "net/ipv6/conf/" + OUT + "/force_forwarding")) {
            Command.Result r = nsServer.exec("cat", "/proc/sys/" + path);
            // force_forwarding exists from Linux 6.17 on
            values.put(path, r.exitCode() == 0 ? r.stdout().trim() : "(none)");
        }
        return values;
    }

    private static String parameter(Netns ns, String path) throws IOException {
        return ns.execOk("cat", "/proc/sys/" + path).stdout().trim();
    }

    private void assertNoTableOfOurs() throws IOException {
        String ruleset = nsServer.execOk("nft", "list", "ruleset").stdout();
        assertFalse(ruleset.contains("wirehaven_"), "a table of ours remains:\n" + ruleset);
    }

    private void assertPing(Netns from, String to) throws IOException {
        assertTrue(
                Topology.ping(from, to, 3, 20),
                "ping " + to + " from " + from.name + " failed\n---- server:\n" + TestFiles.tail(serverOutput(), 40)
                        + "\n---- client:\n" + client.logTail() + "\n---- server namespace:\n"
                        + nsServer.exec("nft", "list", "ruleset").stdout());
    }

    private Matcher awaitLine(int offset, Pattern pattern, Duration timeout) {
        try {
            return Eventually.await(
                    "a line matching /" + pattern + "/ in " + serverOut,
                    timeout,
                    () -> {
                        String log = serverOutput();
                        Matcher m = pattern.matcher(log);
                        if (m.find(Math.min(offset, log.length()))) {
                            return m;
                        }
                        if (!server.isAlive()) {
                            throw new IllegalStateException("the server exited with status " + server.exitValue()
                                    + ":\n" + TestFiles.tail(log, 60));
                        }
                        return null;
                    },
                    m -> m != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n---- server:\n" + TestFiles.tail(serverOutput(), 60), e);
        }
    }

    private String serverOutput() {
        return TestFiles.read(serverOut);
    }

    private Path configurationFile() {
        return home.resolve("etc/" + FACTORY_PID + "-" + serverIface + ".cfg");
    }

    /** Written beside and renamed, so that FileInstall never reads half a file. */
    private void writeConfiguration(String content) throws IOException {
        Path tmp = home.resolve("etc/." + serverIface + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(tmp, configurationFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path writeWork(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content, StandardCharsets.UTF_8);
    }
}
