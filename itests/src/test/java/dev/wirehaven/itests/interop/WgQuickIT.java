package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.itests.OurJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code wg-quick up} and {@code down} with our implementation as wg-quick's userspace fallback,
 * a full-tunnel configuration (0.0.0.0/0 and ::/0) that makes wg-quick set a fwmark and policy
 * routing: all of it happens inside namespace B.
 *
 * <pre>
 *   namespace A: wireguard-go (configured by wg)    namespace B: wg-quick up wgbN.conf
 *  +-------------------------------+             +-------------------------------------+
 *  | veth0  198.18.0.1/24          |=== veth ====| veth0  198.18.0.2/24                |
 *  | wgaN   198.19.0.1/24 fd19::1  |             | wgbN   198.19.0.2/24 fd19::2        |
 *  |        listen-port 51820      |             |   default routes -> wgbN, table     |
 *  +-------------------------------+             |   51820, fwmark 0xca6c on UDP out   |
 *                                                +-------------------------------------+
 * </pre>
 *
 * wg-quick first tries the kernel's WireGuard ({@code ip link add type wireguard}); only where the
 * kernel has none does it call {@code WG_QUICK_USERSPACE_IMPLEMENTATION}, so the test is skipped on
 * a kernel with WireGuard. Skipped as well unless root with ip, wg, wg-quick, wireguard-go and nft
 * (or iptables) and {@code -Dwirehaven.dist}.
 */
class WgQuickIT {

    private final WgSide.Implementation underTest = WgSide.Implementation.underTest();
    private Topology net;
    private Path logDir;

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        Topology.assumeRunnable(underTest);
        Assumptions.assumeTrue(Command.which("wg-quick") != null, "needs wg-quick");
        Assumptions.assumeTrue(
                Command.which("nft") != null || Command.which("iptables-restore") != null,
                "wg-quick's full tunnel needs nft or iptables-restore");
        logDir = Topology.logDir(getClass(), test.getTestMethod().orElseThrow().getName());
        net = Topology.create(underTest, logDir, false);
        Command.Result probe = net.nsB.exec("ip", "link", "add", "whprobe", "type", "wireguard");
        if (probe.exitCode() == 0) {
            net.nsB.exec("ip", "link", "del", "whprobe");
        }
        Assumptions.assumeTrue(
                probe.exitCode() != 0,
                "this kernel has WireGuard, so wg-quick would not use a userspace implementation");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (net != null) {
            net.close();
        }
    }

    private String implementationCommand() {
        if (underTest == WgSide.Implementation.WIREGUARD_GO) {
            return "wireguard-go";
        }
        return WgSide.distribution().resolve("bin/wirehaven-wg").toString();
    }

    private Command.Result wgQuick(String action, Path conf) throws IOException {
        // our launcher sends the daemon's output to WIREHAVEN_WG_LOG; wireguard-go would keep wg-quick's
        // output open with LOG_LEVEL set, so it runs quiet here
        Map<String, String> env = underTest == WgSide.Implementation.WIREHAVEN
                ? Map.of(
                        "WG_QUICK_USERSPACE_IMPLEMENTATION",
                        implementationCommand(),
                        "WIREHAVEN_WG_LOG",
                        net.b.logFile().toString(),
                        "LOG_LEVEL",
                        "verbose",
                        "JAVA_HOME",
                        OurJvm.javaHome(),
                        "WIREHAVEN_WG_OPTS",
                        OurJvm.opts())
                : Map.of("WG_QUICK_USERSPACE_IMPLEMENTATION", implementationCommand());
        Command.Result r = net.nsB.exec(120, env, "wg-quick", action, conf.toString());
        Files.writeString(logDir.resolve("wg-quick-" + action + ".txt"), r.stdout() + r.stderr());
        return r;
    }

    private Path writeConf(String keepalive) throws IOException {
        // wg-quick names the interface after the file
        Path conf = net.workDir.resolve(net.b.iface + ".conf");
        Files.writeString(
                conf,
                "[Interface]\n"
                        + "PrivateKey = " + net.b.privateKey + "\n"
                        + "Address = " + Topology.B_TUN4 + "/24, " + Topology.B_TUN6 + "/64\n"
                        + "ListenPort = " + Topology.B_PORT + "\n"
                        + "\n"
                        + "[Peer]\n"
                        + "PublicKey = " + net.a.publicKey + "\n"
                        + "Endpoint = " + Topology.A_UNDER4 + ":" + Topology.A_PORT + "\n"
                        + "AllowedIPs = 0.0.0.0/0, ::/0\n"
                        + "PersistentKeepalive = " + keepalive + "\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    @Test
    void wgQuickBringsAFullTunnelUpAndDownWithOurImplementation() throws IOException {
        net.configureA(null);
        Path conf = writeConf("25");

        // ---- up: wg-quick falls back to our program, configures it with wg, sets routes and fwmark
        Command.Result up = wgQuick("up", conf);
        assertEquals(0, up.exitCode(), "wg-quick up failed:\n" + up.stderr() + "\n" + net.logs());
        assertTrue(up.stderr().contains("[#] " + implementationCommand() + " " + net.b.iface), up.stderr());
        assertTrue(up.stderr().contains("wg set " + net.b.iface + " fwmark 51820"), up.stderr());
        assertEquals("0xca6c", net.b.wg("show", net.b.iface, "fwmark").trim());

        // ---- traffic: the default route leads into the tunnel; the marked UDP must not loop into it
        assertTrue(Topology.ping(net.nsB, Topology.A_TUN4, 5, 20), "ping over the full tunnel\n" + net.logs());
        assertTrue(Topology.ping(net.nsB, Topology.A_TUN6, 5, 20), "ping6 over the full tunnel\n" + net.logs());
        assertEquals(
                Topology.B_UNDER4 + ":" + Topology.B_PORT,
                net.a.peer(net.b.publicKey).endpoint(),
                "A sees B at its underlay address");

        // ---- syncconf from the stripped file, as operators reload a changed configuration
        writeConf("7");
        String stripped = net.nsB.execOk("wg-quick", "strip", conf.toString()).stdout();
        Path strippedFile = net.workDir.resolve("stripped.conf");
        Files.writeString(strippedFile, stripped);
        net.b.wg("syncconf", net.b.iface, strippedFile.toString());
        assertTrue(net.b.wg("show", net.b.iface, "persistent-keepalive").endsWith("\t7\n"));
        // a file without FwMark sets it to 0 (wg's setconf semantics); restore wg-quick's mark
        net.b.wg("set", net.b.iface, "fwmark", "51820");
        assertTrue(Topology.ping(net.nsB, Topology.A_TUN4, 3, 20), "ping after syncconf\n" + net.logs());

        // ---- down: wg-quick deletes the interface; our process notices, stops and removes its socket
        Command.Result down = wgQuick("down", conf);
        assertEquals(0, down.exitCode(), "wg-quick down failed:\n" + down.stderr());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!net.nsB.pids().isEmpty() && System.nanoTime() < deadline) {
            Netns.sleep(100);
        }
        assertTrue(net.nsB.pids().isEmpty(), "the userspace process exited: " + net.nsB.pids() + "\n" + net.logs());
        assertFalse(Files.exists(Path.of("/var/run/wireguard", net.b.iface + ".sock")), "the UAPI socket is gone");
        assertFalse(net.nsB.execOk("ip", "rule").stdout().contains("51820"), "no policy rule is left");
    }
}
