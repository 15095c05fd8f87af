package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
 * The server distribution's WireGuard interface component, driven as an operator drives it: a
 * {@code .cfg} file in {@code etc/}, the stock {@code wg} tool, and wireguard-go as the peer. The
 * whole server runs inside its own namespace, so nothing touches the host's network.
 *
 * <pre>
 *   namespace S: bin/wirehaven --no-shell              namespace P: wireguard-go (the peer)
 *  +------------------------------------------+       +-------------------------------+
 *  | veth0  198.18.0.1/24                     |= veth=| veth0  198.18.0.2/24          |
 *  | whsN   198.19.0.1/24 fd19::1/64 (.cfg)   |  UDP  | whpN   198.19.0.2/24 fd19::2  |
 *  |        listenPort 51820, key in data/    | 51820 |        any port               |
 *  +------------------------------------------+       +-------------------------------+
 * </pre>
 *
 * The steps build on each other on one server, in order: start with the configuration, a tunnel
 * to wireguard-go, a broken configuration beside it, deleting the configuration, adding it again
 * while the server runs, SIGTERM.
 * Interface names are unique per run rather than {@code wg0}: {@code /var/run/wireguard}, where
 * {@code wg} finds userspace interfaces, is shared by every namespace of the machine. Skipped unless
 * root with {@code ip}, {@code wg}, {@code wireguard-go} and {@code -Dwirehaven.dist}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerInterfaceIT {

    private static final String FACTORY_PID = "dev.wirehaven.wireguard.interface";
    private static final String SERVER_UNDER4 = "198.18.0.1";
    private static final String PEER_UNDER4 = "198.18.0.2";
    private static final String SERVER_TUN4 = "198.19.0.1";
    private static final String PEER_TUN4 = "198.19.0.2";
    private static final String SERVER_TUN6 = "fd19::1";
    private static final String PEER_TUN6 = "fd19::2";
    private static final int LISTEN_PORT = 51820;
    /** The web console's port: any port is free in a namespace of our own. */
    private static final int HTTP_PORT = 18080;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Path UAPI_DIRECTORY = Path.of("/var/run/wireguard");
    private static final int EXIT_ON_SIGTERM = 128 + 15;

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String iface = "whs" + id;
    private final String badIface = "whx" + id;

    private Path logDir;
    private Path work;
    private Path home;
    private Path serverOut;
    private Netns nsServer;
    private Netns nsPeer;
    private Process server;
    private WgSide peer;
    private String serverPublicKey;

    @BeforeAll
    void startTheServerWithAnInterfaceConfiguration() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "server"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));
        serverOut = logDir.resolve("server.out");

        nsServer = Netns.create("s");
        nsPeer = Netns.create("p");
        Netns.veth(nsServer, "veth0", nsPeer, "veth0");
        nsServer.execOk("ip", "address", "add", SERVER_UNDER4 + "/24", "dev", "veth0");
        nsPeer.execOk("ip", "address", "add", PEER_UNDER4 + "/24", "dev", "veth0");

        writeConfiguration(
                iface,
                "name = " + iface + "\n"
                        + "listenPort = " + LISTEN_PORT + "\n"
                        + "addresses = " + SERVER_TUN4 + "/24, " + SERVER_TUN6 + "/64\n");
        server = nsServer.spawn(
                serverOut,
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "WIREHAVEN_HTTP_PORT", Integer.toString(HTTP_PORT),
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
            try {
                if (nsPeer != null) {
                    nsPeer.close();
                }
            } finally {
                if (nsServer != null) {
                    nsServer.close();
                }
            }
        }
    }

    // ---- the configured interface comes up, visible to wg, and its public key is logged ----------

    @Test
    @Order(1)
    void theConfiguredInterfaceComesUpWithItsListenPortAndThePublicKeyIsLogged() throws IOException {
        Matcher up = awaitLine(
                Pattern.compile("WireGuard interface " + iface
                        + " is up: listen port (\\d+), addresses (.*), MTU (\\d+), public key (\\S+) \\(configuration "
                        + Pattern.quote(FACTORY_PID) + "\\S* \\(file (\\S+)\\)\\)"),
                START_TIMEOUT);
        serverPublicKey = up.group(4);

        assertEquals(Integer.toString(LISTEN_PORT), up.group(1));
        assertEquals(SERVER_TUN4 + "/24, " + SERVER_TUN6 + "/64", up.group(2));
        assertEquals("1420", up.group(3));
        assertEquals(configurationFile(iface).toString(), up.group(5));
        assertEquals(Integer.toString(LISTEN_PORT), wg(nsServer, "show", iface, "listen-port"));
        assertEquals(serverPublicKey, wg(nsServer, "show", iface, "public-key"));

        String link =
                nsServer.execOk("ip", "-o", "address", "show", "dev", iface).stdout();
        assertTrue(link.contains("inet " + SERVER_TUN4 + "/24"), link);
        assertTrue(link.contains("inet6 " + SERVER_TUN6 + "/64"), link);
        assertTrue(nsServer.execOk("ip", "-o", "link", "show", "dev", iface)
                .stdout()
                .contains("mtu 1420"));

        Path keyFile = home.resolve("data/keys/" + iface + ".key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())));
        String privateKey = Files.readString(keyFile).trim();
        assertEquals(serverPublicKey, pubkey(privateKey), "the logged key is the public half of the key file");
        assertFalse(serverOutput().contains(privateKey), "the private key never reaches the log");
        assertFalse(Files.readString(home.resolve("data/log/wirehaven.log")).contains(privateKey));

        // the shipped example stays inactive: no interface from it, and no word about it
        assertNotEquals(0, nsServer.exec("ip", "link", "show", "dev", "wg0").exitCode());
        assertFalse(serverOutput().contains("interface wg0"), "etc/*.cfg.example is not a configuration");
    }

    // ---- wireguard-go in the other namespace reaches the server's interface ----------------------

    @Test
    @Order(2)
    void aWireGuardGoPeerPingsTheServerAcrossTheTunnel() throws IOException {
        peer = new WgSide(nsPeer, "whp" + id, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        peer.start();
        peer.addressAndUp(PEER_TUN4 + "/24", PEER_TUN6 + "/64");
        peer.wg(
                "set",
                peer.iface,
                "private-key",
                peer.keyFile().toString(),
                "peer",
                serverPublicKey,
                "allowed-ips",
                SERVER_TUN4 + "/32," + SERVER_TUN6 + "/128",
                "endpoint",
                SERVER_UNDER4 + ":" + LISTEN_PORT);
        nsServer.execOk(
                "wg", "set", iface, "peer", peer.publicKey, "allowed-ips", PEER_TUN4 + "/32," + PEER_TUN6 + "/128");

        assertPing(nsPeer, SERVER_TUN4);
        assertPing(nsPeer, SERVER_TUN6);
        assertPing(nsServer, PEER_TUN4);
        String dump = wg(nsServer, "show", iface, "dump");
        assertTrue(
                dump.contains(peer.publicKey + "\t(none)\t" + PEER_UNDER4 + ":"),
                "the server learned the peer's endpoint:\n" + dump);
    }

    // ---- a broken configuration beside it: one clear line, nothing else changes ------------------

    @Test
    @Order(3)
    void aBrokenConfigurationIsReportedInOneLineAndTheServerRunsOn() throws IOException {
        writeConfiguration(badIface, "name = " + badIface + "\nlistenPort = 70000\n");

        Pattern problem = Pattern.compile("\\bERROR\\b.*configuration " + Pattern.quote(FACTORY_PID) + "\\S* \\(file "
                + Pattern.quote(configurationFile(badIface).toString()) + "\\): listenPort 70000 is out of range;"
                + " set listenPort to a UDP port from 1 to 65535");
        awaitLine(problem, CHANGE_TIMEOUT);

        assertEquals(
                1,
                serverOutput()
                        .lines()
                        .filter(line -> problem.matcher(line).find())
                        .count(),
                "one line:\n" + TestFiles.tail(serverOutput(), 40));
        assertTrue(server.isAlive());
        assertNotEquals(0, nsServer.exec("ip", "link", "show", "dev", badIface).exitCode());
        assertPing(nsPeer, SERVER_TUN4);
        Files.delete(configurationFile(badIface));
    }

    // ---- deleting the configuration removes the interface; the server keeps running --------------

    @Test
    @Order(4)
    void deletingTheConfigurationRemovesTheInterfaceAndItsSocketWhileTheServerRuns() throws IOException {
        Files.delete(configurationFile(iface));

        awaitLine(Pattern.compile("WireGuard interface " + iface + " removed"), CHANGE_TIMEOUT);
        Eventually.await(
                iface + " to leave namespace " + nsServer.name,
                CHANGE_TIMEOUT,
                () -> nsServer.exec("ip", "link", "show", "dev", iface).exitCode(),
                status -> status != 0);
        assertFalse(Files.exists(UAPI_DIRECTORY.resolve(iface + ".sock")));
        assertFalse(Files.exists(UAPI_DIRECTORY.resolve(iface + ".stats")));
        assertTrue(server.isAlive(), "the server runs on without the interface");
        assertFalse(Topology.ping(nsPeer, SERVER_TUN4, 1, 2), "nothing answers at the tunnel address any more");
    }

    // ---- the configuration comes back while the server runs: the same key, so the same public key -

    @Test
    @Order(5)
    void aConfigurationAddedWhileTheServerRunsBringsTheInterfaceBackWithItsKey() throws IOException {
        writeConfiguration(
                iface,
                "name = " + iface + "\n"
                        + "listenPort = " + (LISTEN_PORT + 1) + "\n"
                        + "addresses = " + SERVER_TUN4 + "/24\n");

        Pattern up = Pattern.compile("WireGuard interface " + iface + " is up: listen port " + (LISTEN_PORT + 1)
                + ", .* public key (\\S+) ");
        assertEquals(serverPublicKey, awaitLine(up, CHANGE_TIMEOUT).group(1), "the key file was kept");
        assertEquals(Integer.toString(LISTEN_PORT + 1), wg(nsServer, "show", iface, "listen-port"));
        assertEquals(serverPublicKey, wg(nsServer, "show", iface, "public-key"));
    }

    // ---- SIGTERM stops the server and takes the interface with it --------------------------------

    @Test
    @Order(6)
    void sigtermStopsTheServerAndRemovesTheInterfaceAndItsSocket() throws InterruptedException, IOException {
        // ip netns exec and bin/wirehaven both exec, so the process is the JVM itself
        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop within 30 s of SIGTERM");
        assertEquals(EXIT_ON_SIGTERM, server.exitValue());

        assertEquals(
                2,
                serverOutput()
                        .lines()
                        .filter(line -> line.contains("WireGuard interface " + iface + " removed"))
                        .count(),
                "removed once with its configuration, once at shutdown:\n" + TestFiles.tail(serverOutput(), 40));
        assertFalse(Files.exists(UAPI_DIRECTORY.resolve(iface + ".sock")));
        assertNotEquals(0, nsServer.exec("ip", "link", "show", "dev", iface).exitCode());
    }

    private Matcher awaitLine(Pattern pattern, Duration timeout) {
        return Eventually.await(
                "a line matching /" + pattern + "/ in " + serverOut,
                timeout,
                () -> {
                    Matcher m = pattern.matcher(serverOutput());
                    if (m.find()) {
                        return m;
                    }
                    if (!server.isAlive()) {
                        throw new IllegalStateException(
                                "the server exited with status " + server.exitValue() + ":\n" + serverOutput());
                    }
                    return null;
                },
                m -> m != null);
    }

    private void assertPing(Netns from, String to) throws IOException {
        assertTrue(
                Topology.ping(from, to, 3, 20),
                "ping " + to + " from " + from.name + " failed\n---- server:\n" + TestFiles.tail(serverOutput(), 40)
                        + "\n---- peer:\n" + (peer == null ? "" : peer.logTail()));
    }

    private void writeConfiguration(String name, String content) throws IOException {
        // written beside and renamed, so that FileInstall never reads half a file
        Path tmp = home.resolve("etc/." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        Files.move(tmp, configurationFile(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path configurationFile(String name) {
        return home.resolve("etc/" + FACTORY_PID + "-" + name + ".cfg");
    }

    private String serverOutput() {
        try {
            return Files.readString(serverOut, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String wg(Netns ns, String... args) throws IOException {
        String[] argv = Stream.concat(Stream.of("wg"), Stream.of(args)).toArray(String[]::new);
        return ns.execOk(argv).stdout().trim();
    }

    private static String pubkey(String privateKey) throws IOException {
        Process p = new ProcessBuilder("wg", "pubkey").start();
        p.getOutputStream().write((privateKey + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
