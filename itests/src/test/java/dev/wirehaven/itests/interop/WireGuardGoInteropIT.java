package dev.wirehaven.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Our userspace WireGuard against wireguard-go, each in its own network namespace, both
 * configured only through {@code wg} and {@code ip}:
 *
 * <pre>
 *   namespace A: wireguard-go                     namespace B: wirehaven-wg (under test)
 *  +-------------------------------+             +-------------------------------+
 *  | veth0  198.18.0.1/24 fd18::1  |=== veth ====| veth0  198.18.0.2/24 fd18::2  |
 *  | wgaN   198.19.0.1/24 fd19::1  |  UDP 51820  | wgbN   198.19.0.2/24 fd19::2  |
 *  |        listen-port 51820      |   <-> 51821 |        listen-port 51821      |
 *  +-------------------------------+             +-------------------------------+
 * </pre>
 *
 * One test per behaviour. Skipped unless root with {@code ip}, {@code wg} and {@code wireguard-go}
 * installed and {@code -Dwirehaven.dist} naming the unpacked distribution. With
 * {@code -Dwirehaven.interop.impl=wireguard-go} side B runs wireguard-go too, which proves the
 * harness itself. Logs of both sides stay in {@code target/interop-logs/}. JUnit 5, like the
 * module's other process and network tests.
 */
class WireGuardGoInteropIT {

    private static final long MB = 1024 * 1024;

    private final WgSide.Implementation underTest = WgSide.Implementation.underTest();
    private Topology net;
    private Path logDir;

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        Topology.assumeRunnable(underTest);
        logDir = Topology.logDir(getClass(), test.getTestMethod().orElseThrow().getName());
        net = Topology.create(underTest, logDir);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (net != null) {
            Files.writeString(logDir.resolve("wg-show.txt"), wgShowBoth());
            net.close();
        }
    }

    private String wgShowBoth() {
        StringBuilder sb = new StringBuilder();
        for (WgSide side : new WgSide[] {net.a, net.b}) {
            try {
                sb.append(side.ns.exec("wg", "show", side.iface).stdout()).append('\n');
            } catch (IOException e) {
                sb.append(side.iface).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private void assertPing(Netns from, String to) throws IOException {
        assertTrue(Topology.ping(from, to, 5, 20), "ping " + to + " from " + from.name + " failed\n" + net.logs());
    }

    // ---- handshake initiated by our side; ping both ways over IPv4 and IPv6 ----------------------

    @Test
    void ourSideInitiatesTheHandshake_pingBothWaysOverIpv4AndIpv6() throws IOException {
        // only B knows an endpoint, so only B can initiate
        net.configureA(null);
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT);

        assertPing(net.nsB, Topology.A_TUN4);
        assertEquals(
                Topology.B_UNDER4 + ":" + Topology.B_PORT,
                net.a.peer(net.b.publicKey).endpoint(),
                "A learned B's endpoint from B's initiation");
        assertPing(net.nsB, Topology.A_TUN6);
        assertPing(net.nsA, Topology.B_TUN4);
        assertPing(net.nsA, Topology.B_TUN6);
    }

    // ---- handshake initiated by wireguard-go, over an IPv6 underlay ------------------------------

    @Test
    void wireguardGoInitiatesTheHandshakeOverIpv6_pingBothWays() throws IOException {
        net.configureA("[" + Topology.B_UNDER6 + "]:" + Topology.B_PORT);
        net.configureB(null);

        assertPing(net.nsA, Topology.B_TUN4);
        assertEquals(
                "[" + Topology.A_UNDER6 + "]:" + Topology.A_PORT,
                net.b.peer(net.a.publicKey).endpoint(),
                "B learned A's IPv6 endpoint from A's initiation");
        assertPing(net.nsA, Topology.B_TUN6);
        assertPing(net.nsB, Topology.A_TUN4);
        assertPing(net.nsB, Topology.A_TUN6);
    }

    // ---- a 100 MB TCP transfer arrives intact ----------------------------------------------------

    @Test
    void aHundredMegabyteTcpTransferKeepsItsChecksum() throws IOException {
        configureBoth();
        String[] ends = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5001, 100 * MB, 0, 300, logDir)
                .await(300);
        assertEquals(ends[0], ends[1], "checksums of sent and received data\n" + net.logs());
        assertTrue(ends[1].startsWith("bytes=" + 100 * MB + " "), ends[1]);

        ends = Transfer.start(net.nsB, net.nsA, Topology.A_TUN6, 5002, 100 * MB, 0, 300, logDir)
                .await(300);
        assertEquals(ends[0], ends[1], "checksums of the transfer from our side over IPv6\n" + net.logs());
    }

    // ---- preshared keys ---------------------------------------------------------------------------

    @Test
    void presharedKeysMustMatch() throws IOException {
        Path psk = secret(
                "psk", Command.run(10, "wg", "genpsk").requireOk().stdout().trim());
        Path otherPsk = secret(
                "psk2", Command.run(10, "wg", "genpsk").requireOk().stdout().trim());
        net.configureA(null, "preshared-key", psk.toString());
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT, "preshared-key", otherPsk.toString());

        assertFalse(
                Topology.ping(net.nsB, Topology.A_TUN4, 2, 4), "a handshake with different preshared keys must fail");
        assertEquals(0, net.b.peer(net.a.publicKey).latestHandshake());

        net.b.wg("set", net.b.iface, "peer", net.a.publicKey, "preshared-key", psk.toString());
        assertPing(net.nsB, Topology.A_TUN4);
        assertTrue(net.b
                .wg("showconf", net.b.iface)
                .contains("PresharedKey = " + Files.readString(psk).trim()));
    }

    // ---- persistent keepalive is seen on the wire --------------------------------------------------

    @Test
    void persistentKeepaliveIsSeenOnTheWire() throws IOException {
        net.configureA(null);
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT, "persistent-keepalive", "1");

        // turning keepalive on sends one at once, which makes B initiate; no other traffic follows
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (net.a.peer(net.b.publicKey).latestHandshake() == 0 && System.nanoTime() < deadline) {
            Netns.sleep(100);
        }
        assertTrue(
                net.a.peer(net.b.publicKey).latestHandshake() > 0,
                "B's keepalive should start a handshake\n" + net.logs());
        Netns.sleep(1000);
        long before = net.a.peer(net.b.publicKey).rxBytes();
        Netns.sleep(5000);
        long received = net.a.peer(net.b.publicKey).rxBytes() - before;
        // a keepalive is an empty transport message: 32 bytes of UDP payload, about one a second
        assertTrue(
                received >= 3 * 32 && received <= 8 * 32 + 148 + 92,
                "wireguard-go received " + received + " bytes in 5 s of keepalives\n" + net.logs());
    }

    // ---- roaming: the peer's underlay address changes mid-transfer ---------------------------------

    @Test
    void theTunnelFollowsAPeerThatMovesMidTransfer() throws IOException {
        configureBoth();
        assertPing(net.nsA, Topology.B_TUN4);
        Transfer t = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5003, 40 * MB, 8 * MB, 120, logDir);
        Netns.sleep(1500);
        assertTrue(t.sender.isAlive(), "the transfer is still running when A moves");
        // without promotion, deleting the primary address would take the new secondary one with it
        net.nsA.execOk("sysctl", "-q", "-w", "net.ipv4.conf.veth0.promote_secondaries=1");
        net.nsA.execOk("ip", "address", "add", "198.18.0.3/24", "dev", "veth0");
        net.nsA.execOk("ip", "address", "del", Topology.A_UNDER4 + "/24", "dev", "veth0");

        String[] ends = t.await(120);
        assertEquals(ends[0], ends[1], "checksums across the move\n" + net.logs());
        assertEquals(
                "198.18.0.3:" + Topology.A_PORT,
                net.b.peer(net.a.publicKey).endpoint(),
                "B follows A to its new address");
    }

    // ---- garbage and forged initiations at our port while a transfer runs --------------------------

    @Test
    void aFloodOfJunkDoesNotStopATransferAndIsCountedAsDrops() throws IOException {
        configureBoth();
        assertPing(net.nsA, Topology.B_TUN4);
        Map<String, Long> before = underTest == WgSide.Implementation.WIREHAVEN ? net.b.dropStats() : Map.of();

        // 90 MB at 6 MB/s runs for 15 s; the flood, 80,000 datagrams in 8 s, falls inside it
        Transfer t = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5004, 90 * MB, 6 * MB, 180, logDir);
        Command.Result flood = Helpers.run(
                net.nsA,
                60,
                UdpFlood.class,
                Topology.B_UNDER4,
                Integer.toString(Topology.B_PORT),
                "8",
                "80000",
                "10000");
        assertEquals(0, flood.exitCode(), flood.stderr());
        assertTrue(t.sender.isAlive(), "the transfer was still running when the flood ended: " + flood.stdout());
        String[] ends = t.await(180);
        assertEquals(ends[0], ends[1], "checksums under the flood\n" + net.logs());

        Assumptions.assumeTrue(
                underTest == WgSide.Implementation.WIREHAVEN, "drop counters are ours (wirehaven-wg --stats)");
        Map<String, Long> after = net.b.dropStats();
        Files.writeString(
                logDir.resolve("drop-stats.txt"),
                "flood: " + flood.stdout() + "before: " + before + "\nafter: " + after + "\n");
        long badMac1 = after.get("drop_bad_mac1") - before.getOrDefault("drop_bad_mac1", 0L);
        long total = after.get("drop_total") - before.getOrDefault("drop_total", 0L);
        // the kernel may drop some of the 80,000 datagrams before we read them; most must arrive and count
        assertTrue(badMac1 >= 10_000, "forged initiations counted as bad MAC1: " + after);
        assertTrue(total >= 20_000, "junk counted as drops: " + after);
    }

    // ---- wg show: latest handshake and transfer counters ---------------------------------------

    @Test
    void wgShowReportsALatestHandshakeNearNowAndTheBytesTransferred() throws IOException {
        configureBoth();
        assertPing(net.nsB, Topology.A_TUN4);
        long now = System.currentTimeMillis() / 1000;
        WgSide.PeerStatus start = net.b.peer(net.a.publicKey);
        assertNotNull(start);
        assertTrue(
                Math.abs(start.latestHandshake() - now) <= 10,
                "latest handshake " + start.latestHandshake() + " is within 10 s of now " + now);

        long size = 20 * MB;
        String[] ends = Transfer.start(net.nsA, net.nsB, Topology.B_TUN4, 5005, size, 0, 120, logDir)
                .await(120);
        assertEquals(ends[0], ends[1]);
        WgSide.PeerStatus end = net.b.peer(net.a.publicKey);
        long rx = end.rxBytes() - start.rxBytes();
        long tx = end.txBytes() - start.txBytes();
        // TCP/IP headers and WireGuard's 32 bytes per packet add a few percent; ACKs go back
        assertTrue(rx >= size && rx <= size * 115 / 100, "received " + rx + " bytes for a " + size + "-byte transfer");
        assertTrue(tx > 0 && tx < size / 5, "sent " + tx + " bytes of ACKs");
        WgSide.PeerStatus seenByA = net.a.peer(net.b.publicKey);
        assertTrue(seenByA.txBytes() >= rx, "wireguard-go counted what we received: " + seenByA);
    }

    private void configureBoth() throws IOException {
        net.configureA(Topology.B_UNDER4 + ":" + Topology.B_PORT);
        net.configureB(Topology.A_UNDER4 + ":" + Topology.A_PORT);
    }

    private Path secret(String name, String content) throws IOException {
        Path file = net.workDir.resolve(name);
        Files.writeString(file, content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
