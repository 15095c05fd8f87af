package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.conn.BindFactory;
import dev.wirehaven.wireguard.conn.LinuxUdpBind;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 *   tunA 10.0.0.1                                              tunB 10.0.0.2
 *      |                                                          |
 *   device A  [127.0.0.1:portA] ------- loopback -------  [127.0.0.1:portB]  device B
 *             its socket + handshake lane                 its socket + handshake lane
 *
 *   Real sockets (LinuxUdpBind with lanes), in-memory TUNs: the handshake goes through the lanes,
 *   its readers are the device's, data through the sockets; junk on the lane counts as before.
 */
class HandshakeLaneDeviceTest {

    private final MemoryTun tunA = new MemoryTun("tunA", 1420);
    private final MemoryTun tunB = new MemoryTun("tunB", 1420);
    private final Key keyA = Keys.generatePrivate();
    private final Key keyB = Keys.generatePrivate();
    private Device a;
    private Device b;

    @BeforeEach
    void twoDevicesOnLoopbackWithLanes() throws Exception {
        Assumptions.assumeTrue(
                System.getProperty("os.name").startsWith("Linux")
                        && System.getProperty("os.arch").contains("64"),
                "LinuxUdpBind needs 64-bit Linux");
        BindFactory lanes = port -> LinuxUdpBind.open(port, true, true);
        a = Device.create("wlA", tunA, lanes, DeviceOptions.defaults(), Clock.SYSTEM, new SecureRandom(), true);
        b = Device.create("wlB", tunB, lanes, DeviceOptions.defaults(), Clock.SYSTEM, new SecureRandom(), true);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        b.configure(tx -> {
            tx.privateKey(keyB);
            tx.peer(Keys.publicFrom(keyA), false).addAllowedIp(Cidr.parse("10.0.0.1/32"));
        });
        int portB = b.snapshot().listenPort();
        a.configure(tx -> {
            tx.privateKey(keyA);
            var p = tx.peer(Keys.publicFrom(keyB), false);
            p.endpoint(new InetSocketAddress(loopback, portB));
            p.addAllowedIp(Cidr.parse("10.0.0.2/32"));
        });
    }

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Sends {@code count} packets into {@code from} and expects each out of {@code to}. */
    private static void carry(MemoryTun from, MemoryTun to, String src, String dst, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] p = Packets.ipv4(src, dst, 100 + i, i);
            from.inject(p);
            assertArrayEquals(p, to.poll(10, TimeUnit.SECONDS), "packet " + i + " " + src + " -> " + dst);
        }
    }

    @Test
    void theHandshakeCompletesThroughTheLanesAndDataFlowsBesideThem() throws Exception {
        assertTrue(b.dataPath().contains("handshake lane on"), b.dataPath());
        assertTrue(b.dataPath().contains("read at nice " + Net.HANDSHAKE_LANE_NICE), b.dataPath());
        Await.until(
                "B's lane reader runs",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith("wlB-udp-handshakes-")));

        for (int i = 0; i < 20; i++) {
            byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 100 + i, i);
            tunA.inject(p);
            assertArrayEquals(p, tunB.poll(10, TimeUnit.SECONDS), "packet " + i);
        }
        assertEquals(0, b.drops(DropReason.MALFORMED) + b.drops(DropReason.BAD_MAC1));
    }

    @Test
    void theBindSteersByTheDevicesIndexTagAndKeepsDoingSoAfterARebind() throws Exception {
        carry(tunA, tunB, "10.0.0.1", "10.0.0.2", 1);
        int tag = b.indexTable.tag();
        String steered = String.format("receiver tag 0x%02x", tag);
        assertTrue(b.dataPath().contains(steered), b.dataPath());
        Keypair session = b.peer(Keys.publicFrom(keyA)).keypairs.current();
        assertEquals(tag, session.localIndex & 0xff, "B's index " + Integer.toHexString(session.localIndex));

        int newPort;
        try (DatagramChannel probe = DatagramChannel.open()) {
            newPort = ((InetSocketAddress) probe.bind(new InetSocketAddress(0)).getLocalAddress()).getPort();
        }
        b.configure(tx -> tx.listenPort(newPort));
        assertEquals(newPort, b.snapshot().listenPort());
        assertTrue(b.dataPath().contains(steered), b.dataPath());
        carry(tunB, tunA, "10.0.0.2", "10.0.0.1", 1); // A learns B's new port from it (roaming)
        carry(tunA, tunB, "10.0.0.1", "10.0.0.2", 20);
    }

    @Test
    void junkOnTheLaneIsCountedByReasonAndTheTunnelStillCarries() throws Exception {
        int portB = b.snapshot().listenPort();
        try (DatagramChannel junk = DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", portB);
            for (int i = 0; i < 100; i++) {
                ByteBuffer initiation = ByteBuffer.allocate(148); // type 1, MAC1 all zero: wrong
                initiation.put(0, (byte) 1);
                junk.send(initiation, to);
                junk.send(ByteBuffer.wrap(new byte[] {(byte) 9, 1, 2, 3, 4}), to); // no message type
            }
        }
        Await.until(
                "the lane's junk counted",
                () -> b.drops(DropReason.BAD_MAC1) + b.drops(DropReason.SOCKET_QUEUE_FULL) >= 100
                        && b.drops(DropReason.MALFORMED) + b.drops(DropReason.SOCKET_QUEUE_FULL) >= 100);
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 200, 7);
        tunA.inject(p);
        assertArrayEquals(p, tunB.poll(10, TimeUnit.SECONDS));
    }
}
