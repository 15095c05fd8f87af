package dev.wirehaven.tun.internal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.InterfaceConfigurator;
import dev.wirehaven.tun.NetworkNamespace;
import dev.wirehaven.tun.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/*
 *  namespace wh-fb-<pid>-<n>:  whfb0  10.79.0.1/24  up;  a UDP socket sends to 10.79.0.2 -> into the TUN -> read here
 *                              whfb1  10.79.1.1/24  up, two queues;  the same to 10.79.1.2
 *
 *  The kernel refuses TUNSETOFFLOAD bits it does not know (EINVAL, "a way to test for new
 *  features"), which is how the fallbacks are provoked on a real kernel: to the set without USO
 *  (as a kernel before 6.2 refuses TUN_F_USO4/6), and to the plain path. Skipped unless root on Linux.
 */
class TunOpenerFallbackTest {

    /** A bit beyond every TUN_F_* flag that Linux defines (the highest is TUN_F_USO6 = 0x40). */
    private static final int UNKNOWN_OFFLOAD = 0x4000_0000;

    private static NetworkNamespace ns;

    @BeforeAll
    static void createNamespace() throws Exception {
        String reason = NetworkNamespace.unavailableBecause();
        Assumptions.assumeTrue(reason == null, () -> "TUN tests skipped: " + reason);
        ns = NetworkNamespace.create("wh-fb");
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void refusedOffloadsReopenThePlainWayAndSayWhy() throws Exception {
        int asked = InterfaceIoctls.TUN_F_CSUM | InterfaceIoctls.TUN_F_TSO4 | UNKNOWN_OFFLOAD;
        try (TunDevice tun =
                ns.run(() -> TunOpener.open("whfb0", 1420, 1, asked).get(0))) {
            assertEquals("plain (offloads refused: TUNSETOFFLOAD 0x40000003 on whfb0: Invalid argument)", tun.ioPath());
            InterfaceConfigurator.inNamespace(ns.name(), "whfb0").addAddress("10.79.0.1/24");
            InterfaceConfigurator.inNamespace(ns.name(), "whfb0").up();
            byte[] payload = "plain after all".getBytes(StandardCharsets.US_ASCII);
            try (DatagramChannel socket = ns.run(DatagramChannel::open)) {
                socket.send(ByteBuffer.wrap(payload), new InetSocketAddress(InetAddress.getByName("10.79.0.2"), 9));
                byte[] buf = new byte[1500];
                byte[] udp;
                do { // the kernel may send IPv6 housekeeping first
                    int n = tun.read(buf, 0, buf.length);
                    udp = Arrays.copyOf(buf, n);
                } while ((udp[0] & 0xf0) != 0x40 || udp[9] != 17);

                assertEquals(28 + payload.length, udp.length, "a bare IPv4 packet, no virtio header before it");
                assertArrayEquals(payload, Arrays.copyOfRange(udp, 28, udp.length));
            }
            assertTrue(ns.ipIn("link", "show", "whfb0").contains("whfb0"));
        }
    }

    @Test
    void refusedUsoFallsBackToTsoOnEveryQueueAndSaysWhy() throws Exception {
        int[] sets = {TunOpener.OFFLOADS | UNKNOWN_OFFLOAD, TunOpener.TSO};
        List<TunDevice> queues = ns.run(() -> TunOpener.open("whfb1", 1420, 2, sets));
        try {
            for (TunDevice q : queues) {
                assertEquals("vnet-hdr csum tso4 tso6 gro (uso 0x40000000 refused: Invalid argument)", q.ioPath());
            }
            InterfaceConfigurator.inNamespace(ns.name(), "whfb1").addAddress("10.79.1.1/24");
            InterfaceConfigurator.inNamespace(ns.name(), "whfb1").up();
            byte[] payload = "tso without uso".getBytes(StandardCharsets.US_ASCII);
            try (DatagramChannel socket = ns.run(DatagramChannel::open)) {
                socket.send(ByteBuffer.wrap(payload), new InetSocketAddress(InetAddress.getByName("10.79.1.2"), 9));
                byte[] udp = readUdp(queues.get(0), queues.get(1));

                assertEquals(28 + payload.length, udp.length, "the virtio header is taken off");
                assertArrayEquals(payload, Arrays.copyOfRange(udp, 28, udp.length));
            }
        } finally {
            for (TunDevice q : queues) {
                q.close();
            }
        }
    }

    /** The first IPv4 UDP packet that either queue hands out (the kernel picks the queue by flow). */
    private static byte[] readUdp(TunDevice first, TunDevice second) throws Exception {
        BlockingQueue<byte[]> found = new ArrayBlockingQueue<>(2);
        for (TunDevice q : List.of(first, second)) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[1500];
                try {
                    while (true) {
                        int n = q.read(buf, 0, buf.length);
                        if (n < 0) {
                            return;
                        }
                        if ((buf[0] & 0xf0) == 0x40 && buf[9] == 17) {
                            found.offer(Arrays.copyOf(buf, n));
                            return;
                        }
                    }
                } catch (IOException e) {
                    // the queue was closed
                }
            });
            t.setDaemon(true);
            t.start(); // ends when the queue is closed
        }
        byte[] udp = found.poll(30, TimeUnit.SECONDS);
        assertTrue(udp != null, "no UDP packet from either queue");
        return udp;
    }
}
