package dev.wirehaven.wireguard.conn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/*
 *   LinuxUdpBind a  [::]:port-a  --- loopback ---  LinuxUdpBind b  [::]:port-b
 *
 *   Datagrams are sent before the receiver asks, so that what one receive call returns does not
 *   depend on timing: everything sent is already in b's socket queue.
 */
class LinuxUdpBindTest {

    private static final InetAddress V4_LOOPBACK = literal("127.0.0.1");
    private static final InetAddress V6_LOOPBACK = literal("::1");

    @BeforeAll
    static void onlyOn64BitLinux() {
        Assumptions.assumeTrue(SocketCalls.supported(), "LinuxUdpBind needs 64-bit Linux");
    }

    @Test
    void aBatchOfEqualDatagramsArrivesWholeInOrderWithItsSender() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0);
                LinuxUdpBind b = LinuxUdpBind.open(0)) {
            List<byte[]> sent = datagrams(64, 1452, 1452);
            a.send(buffers(sent), sent.size(), new InetSocketAddress(V4_LOOPBACK, b.port()));

            List<byte[]> got = receiveAll(b, sent.size(), new InetSocketAddress(V4_LOOPBACK, a.port()));
            assertEquals(sent.size(), got.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
            }
        }
    }

    @Test
    void aRunWithAShorterLastDatagramAndALargerOneAfterItKeepsEverySize() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0);
                LinuxUdpBind b = LinuxUdpBind.open(0)) {
            List<byte[]> sent = new ArrayList<>();
            sent.addAll(datagrams(5, 1000, 1000));
            sent.add(filled(300, 99)); // shorter: ends the run
            sent.addAll(datagrams(3, 1200, 1200)); // larger: a new run
            sent.add(filled(32, 7)); // a keepalive-sized one
            sent.add(new byte[0]); // UDP allows empty datagrams
            a.send(buffers(sent), sent.size(), new InetSocketAddress(V6_LOOPBACK, b.port()));

            List<byte[]> got = receiveAll(b, sent.size(), new InetSocketAddress(V6_LOOPBACK, a.port()));
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
            }
        }
    }

    @Test
    void withGroOneReceiveReturnsSeveralDatagramsOfARun() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0);
                LinuxUdpBind b = LinuxUdpBind.open(0)) {
            Assumptions.assumeTrue(b.ioPath().contains("GRO on"), b.ioPath());
            List<byte[]> sent = datagrams(40, 1452, 1452);
            a.send(buffers(sent), sent.size(), new InetSocketAddress(V4_LOOPBACK, b.port()));

            ByteBuffer[] dsts = slots(64, 2048);
            InetSocketAddress[] from = new InetSocketAddress[64];
            int n = b.receive(dsts, from);
            assertTrue(n > 1, "one call returned " + n + " datagram(s); " + a.ioPath());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(sent.get(i), bytes(dsts[i]), "datagram " + i);
            }
        }
    }

    @Test
    void withoutOffloadsBatchesStillArriveAndThePathSaysSo() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0, false);
                LinuxUdpBind b = LinuxUdpBind.open(0, false)) {
            assertTrue(a.ioPath().contains("GRO off") && a.ioPath().contains("GSO off"), a.ioPath());
            List<byte[]> sent = datagrams(64, 1452, 1300);
            a.send(buffers(sent), sent.size(), new InetSocketAddress(V4_LOOPBACK, b.port()));
            List<byte[]> got = receiveAll(b, sent.size(), new InetSocketAddress(V4_LOOPBACK, a.port()));
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "datagram " + i);
            }
        }
    }

    @Test
    void datagramsLongerThanTheBufferAreCutAsDatagramChannelCutsThem() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0);
                LinuxUdpBind b = LinuxUdpBind.open(0)) {
            a.send(ByteBuffer.wrap(filled(1500, 3)), new InetSocketAddress(V4_LOOPBACK, b.port()));
            ByteBuffer dst = ByteBuffer.allocate(100);
            dst.position(16);
            InetSocketAddress from = b.receive(dst);
            assertEquals(new InetSocketAddress(V4_LOOPBACK, a.port()), from);
            assertEquals(100, dst.position());
        }
    }

    @Test
    void ipv4SendersAreReportedAsPlainIpv4AndReusedWithinABurst() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0);
                LinuxUdpBind b = LinuxUdpBind.open(0)) {
            List<byte[]> sent = datagrams(3, 100, 100);
            a.send(buffers(sent), 3, new InetSocketAddress(V4_LOOPBACK, b.port()));
            ByteBuffer[] dsts = slots(3, 200);
            InetSocketAddress[] from = new InetSocketAddress[3];
            int n = b.receive(dsts, from);
            assertInstanceOf(Inet4Address.class, from[0].getAddress());
            for (int i = 1; i < n; i++) {
                assertTrue(from[i] == from[0], "the same sender object within a burst");
            }
        }
    }

    @Test
    void closingUnblocksAWaitingReceiver() throws Exception {
        LinuxUdpBind b = LinuxUdpBind.open(0);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return b.receive(slots(4, 100), new InetSocketAddress[4]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        b.close(); // whether the receiver was already blocked or not, a closed bind answers -1
        assertEquals(-1, waiting.get(10, TimeUnit.SECONDS));
        assertThrows(
                java.io.IOException.class, () -> b.send(ByteBuffer.allocate(1), new InetSocketAddress(V4_LOOPBACK, 9)));
    }

    @Test
    void portInUseIsRefusedWithAnExplanation() throws Exception {
        try (LinuxUdpBind a = LinuxUdpBind.open(0)) {
            BindException e = assertThrows(
                    BindException.class, () -> LinuxUdpBind.open(a.port()).close());
            assertTrue(e.getMessage().contains(Integer.toString(a.port()))
                    && e.getMessage().contains("in use"));
        }
    }

    @Test
    void asRootTheBuffersAreForcedPastTheSysctlCap() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SO_RCVBUFFORCE needs CAP_NET_ADMIN");
        try (LinuxUdpBind a = LinuxUdpBind.open(0)) {
            assertEquals(UdpBind.SOCKET_BUFFER_BYTES, a.receiveBufferSize());
            assertEquals(UdpBind.SOCKET_BUFFER_BYTES, a.sendBufferSize());
        }
    }

    @Test
    void packetsAreMarkedAsRootAsks() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SO_MARK needs CAP_NET_ADMIN");
        try (LinuxUdpBind a = LinuxUdpBind.open(0)) {
            assertTrue(a.markPackets(0x51820));
            assertEquals(0x51820, a.packetMark());
        }
    }

    @Test
    void theSystemFactoryFollowsTheProperty() throws Exception {
        String old = System.getProperty(BindFactory.PROPERTY);
        try {
            System.setProperty(BindFactory.PROPERTY, "channel");
            try (Bind bind = BindFactory.system().open(0)) {
                assertInstanceOf(UdpBind.class, bind);
                assertTrue(bind.ioPath().contains("DatagramChannel"), bind.ioPath());
            }
            System.setProperty(BindFactory.PROPERTY, "batch");
            try (Bind bind = BindFactory.system().open(0)) {
                assertInstanceOf(LinuxUdpBind.class, bind);
                assertTrue(bind.ioPath().contains("GSO off"), bind.ioPath());
            }
            System.setProperty(BindFactory.PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BindFactory::system);
            assertTrue(e.getMessage().contains("'offload', 'batch' or 'channel'"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(BindFactory.PROPERTY);
            } else {
                System.setProperty(BindFactory.PROPERTY, old);
            }
        }
    }

    // ---- helpers ----

    /** Receives until {@code count} datagrams came, checking every sender. */
    private static List<byte[]> receiveAll(LinuxUdpBind b, int count, InetSocketAddress sender) throws Exception {
        List<byte[]> got = new ArrayList<>();
        ByteBuffer[] dsts = slots(64, 2048);
        InetSocketAddress[] from = new InetSocketAddress[64];
        while (got.size() < count) {
            for (ByteBuffer d : dsts) {
                d.clear();
            }
            int n = CompletableFuture.supplyAsync(() -> {
                        try {
                            return b.receive(dsts, from);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                assertEquals(sender, from[i]);
                got.add(bytes(dsts[i]));
            }
        }
        return got;
    }

    private static List<byte[]> datagrams(int count, int size, int lastSize) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(filled(i == count - 1 ? lastSize : size, i));
        }
        return list;
    }

    private static byte[] filled(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static ByteBuffer[] buffers(List<byte[]> datagrams) {
        ByteBuffer[] out = new ByteBuffer[datagrams.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteBuffer.wrap(datagrams.get(i));
        }
        return out;
    }

    private static ByteBuffer[] slots(int n, int size) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            out[i] = ByteBuffer.allocate(size);
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer filled) {
        byte[] b = new byte[filled.position()];
        System.arraycopy(filled.array(), 0, b, 0, b.length);
        return b;
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
