package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.itests.Distribution;
import dev.wirehaven.itests.Eventually;
import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An existing wg-quick server configuration, in the seed's format, taken over by a running server:
 * {@code bin/wirehaven import-wg-quick} writes the interface's {@code etc/} file and key, the server
 * brings the interface up with its static peer and runs its PostUp, a stock wireguard-go peer
 * reaches it without any {@code wg set} on the server, and deleting the file runs PostDown.
 * Skipped unless root with {@code ip}, {@code wg}, {@code wireguard-go} and {@code -Dwirehaven.dist}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WgQuickImportIT {

    private static final String SERVER_UNDER = "198.18.0.1";
    private static final String PEER_UNDER = "198.18.0.2";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final String id = (ProcessHandle.current().pid() % 100000) + "";
    private final String iface = "whi" + id;

    private Path work;
    private Path home;
    private Path logDir;
    private Path serverOut;
    private Netns nsServer;
    private Netns nsPeer;
    private Process server;

    @BeforeAll
    void startAServerWithoutInterfaces() throws IOException {
        Topology.assumeRunnable(WgSide.Implementation.WIREHAVEN);
        logDir = TestFiles.freshDirectory(Topology.logDir(getClass(), "import"));
        work = TestFiles.freshDirectory(Distribution.work(getClass().getSimpleName()));
        home = TestFiles.copyTree(WgSide.distribution(), work.resolve("home"));
        serverOut = logDir.resolve("server.out");

        nsServer = Netns.create("s");
        nsPeer = Netns.create("p");
        Netns.veth(nsServer, "veth0", nsPeer, "veth0");
        nsServer.execOk("ip", "address", "add", SERVER_UNDER + "/24", "dev", "veth0");
        nsPeer.execOk("ip", "address", "add", PEER_UNDER + "/24", "dev", "veth0");
        server = nsServer.spawn(
                serverOut,
                Map.of("JAVA_HOME", System.getProperty("java.home"), "WIREHAVEN_OPTS", OurJvm.opts()),
                home.resolve("bin/wirehaven").toString(),
                "--no-shell");
        awaitServer("Session flow|WireGuard interface|Started Jetty");
    }

    @AfterAll
    void stopEverything() throws IOException {
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

    @Test
    void anImportedWgQuickServerConfigServesItsPeerAndRunsItsHooks() throws IOException {
        WgSide peer = new WgSide(nsPeer, "whj" + id, WgSide.Implementation.WIREGUARD_GO, work, logDir);
        peer.start();
        String serverKey = Command.run(10, "wg", "genkey").requireOk().stdout().trim();
        Path conf = work.resolve(iface + ".conf");
        Files.writeString(
                conf,
                "[Interface]\n"
                        + "PrivateKey = " + serverKey + "\n"
                        + "Address = 10.0.0.1/24\n"
                        + "ListenPort = 51820\n"
                        + "PostUp = touch " + work.resolve("up-%i") + "\n"
                        + "PostDown = touch " + work.resolve("down-%i") + "\n"
                        + "\n"
                        + "[Peer]\n"
                        + "PublicKey = " + peer.publicKey + "\n"
                        + "AllowedIPs = 10.0.0.2/32\n");

        Command.Result imported = Command.run(
                        60,
                        Map.of("JAVA_HOME", System.getProperty("java.home")),
                        List.of(home.resolve("bin/wirehaven").toString(), "import-wg-quick", conf.toString()))
                .requireOk();
        assertTrue(imported.stdout().contains(iface), imported.stdout());
        Path cfg = home.resolve("etc/dev.wirehaven.wireguard.interface-" + iface + ".cfg");
        assertTrue(Files.exists(cfg), "the import wrote " + cfg + ":\n" + imported.stdout());
        assertFalse(Files.readString(cfg).contains(serverKey), "the private key stays out of etc/");

        awaitServer("WireGuard interface " + iface + " is up");
        assertTrue(
                nsServer.execOk("wg", "show", iface, "peers").stdout().contains(peer.publicKey),
                "the [Peer] of the file is on the interface");
        Eventually.await(
                "PostUp to run with %i replaced",
                TIMEOUT, () -> Files.exists(work.resolve("up-" + iface)), done -> done);

        String serverPublicKey =
                nsServer.execOk("wg", "show", iface, "public-key").stdout().trim();
        peer.wg(
                "set",
                peer.iface,
                "private-key",
                peer.keyFile().toString(),
                "peer",
                serverPublicKey,
                "allowed-ips",
                "10.0.0.1/32",
                "endpoint",
                SERVER_UNDER + ":51820");
        nsPeer.execOk("ip", "address", "add", "10.0.0.2/24", "dev", peer.iface);
        nsPeer.execOk("ip", "link", "set", peer.iface, "up");
        assertTrue(
                Topology.ping(nsPeer, "10.0.0.1", 3, 20),
                "wireguard-go reaches the imported interface\n" + TestFiles.tail(TestFiles.read(serverOut), 40));

        Files.delete(cfg);
        awaitServer("WireGuard interface " + iface + " removed");
        Eventually.await("PostDown to run", TIMEOUT, () -> Files.exists(work.resolve("down-" + iface)), done -> done);
        assertTrue(server.isAlive(), "the server runs on without the interface");
    }

    private void awaitServer(String regex) {
        Pattern pattern = Pattern.compile(regex);
        Eventually.await(
                "a line matching /" + regex + "/ in " + serverOut,
                TIMEOUT,
                () -> {
                    if (!server.isAlive()) {
                        throw new IllegalStateException("the server exited:\n" + TestFiles.read(serverOut));
                    }
                    return pattern.matcher(TestFiles.read(serverOut)).find();
                },
                found -> found);
    }
}
