package dev.wirehaven.wireguard.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/*
 *   DatagramChannel x 8 (8 source ports)  --- loopback --->  LinuxUdpBind [::]:port
 *                                                              |- its own socket: transport (type 4)
 *                                                              |- handshake lane: types 1-3
 *                                                              '- dropped in the kernel, counted:
 *                                                                 no type, or a foreign receiver tag
 *
 *   Each datagram's first byte says what it is; every sender sends every kind, so that the flow
 *   hash (the kernel's choice without the program) cannot put them right by chance.
 */
class HandshakeLaneTest {

    private static final int SENDERS = 8;

    @BeforeAll
    static void onlyOn64BitLinux() {
        Assumptions.assumeTrue(SocketCalls.supported(), "LinuxUdpBind needs 64-bit Linux");
    }

    @Test
    void transportMessagesReachTheBindHandshakesItsLaneAndJunkIsDroppedInTheKernel() throws Exception {
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, true)) {
            Bind lane = bind.handshakeLane();
            assertNotNull(lane, bind.ioPath());
            assertTrue(bind.ioPath().contains("handshake lane on"), bind.ioPath());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", bind.port());
            for (int s = 0; s < SENDERS; s++) {
                try (DatagramChannel sender = DatagramChannel.open()) {
                    sender.send(message(4, 32), to); // transport (a keepalive's size)
                    sender.send(message(1, 148), to); // initiation
                    sender.send(message(2, 92), to); // response
                    sender.send(message(3, 64), to); // cookie reply
                    sender.send(message(200, 700), to); // junk
                    sender.send(message(1, 3), to); // too short for a type
                    ByteBuffer reserved = message(1, 148);
                    reserved.put(2, (byte) 1); // an initiation's shape, but not the zeros after its type
                    sender.send(reserved, to);
                }
            }
            List<Integer> data = receiveTypes(bind, SENDERS);
            List<Integer> handshakes = receiveTypes(lane, 3 * SENDERS);
            assertEquals(SENDERS, data.stream().filter(t -> t == 4).count(), "data socket: " + data);
            assertEquals(0, handshakes.stream().filter(t -> t == 4).count(), "lane: " + handshakes);
            awaitCount(bind::malformedDrops, 3 * SENDERS);
            assertEquals(0, bind.unknownIndexDrops());
            assertEquals(0, bind.receiveQueueDrops());
            assertNothingMore(lane, bind.port(), message(1, 148));
            for (int type : new int[] {1, 2, 3}) {
                assertEquals(
                        SENDERS,
                        handshakes.stream().filter(t -> t == type).count(),
                        "type " + type + ": " + handshakes);
            }
        }
    }

    @Test
    void withAReceiverTagOnlyTransportMessagesToTheDevicesIndicesReachTheBind() throws Exception {
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, true)) {
            Bind lane = bind.handshakeLane();
            assertNotNull(lane, bind.ioPath());
            assertTrue(bind.steerByReceiverTag(0x2a));
            assertTrue(bind.ioPath().contains("receiver tag 0x2a"), bind.ioPath());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", bind.port());
            for (int s = 0; s < SENDERS; s++) {
                try (DatagramChannel sender = DatagramChannel.open()) {
                    sender.send(transport(0x2a, 32), to); // ours
                    sender.send(transport(0x2b, 1400), to); // an index we never hand out
                    sender.send(transport(0x00, 64), to);
                    sender.send(transport(0x2a, 31), to); // too short for a transport message
                    sender.send(message(1, 148), to); // initiation
                }
            }
            List<Integer> data = receiveTags(bind, SENDERS);
            List<Integer> others = receiveTags(lane, SENDERS);
            assertEquals(SENDERS, data.stream().filter(t -> t == 0x2a).count(), "data socket: " + data);
            assertEquals(SENDERS, others.stream().filter(t -> t == 1001).count(), "lane: " + others);
            awaitCount(bind::unknownIndexDrops, 2 * SENDERS); // tags 0x2b and 0x00
            awaitCount(bind::malformedDrops, SENDERS); // the short one
            assertNothingMore(lane, bind.port(), message(1, 148));
            assertNothingMore(bind, bind.port(), transport(0x2a, 32));
        }
    }

    @Test
    void theKernelsCountsOfJunkOutliveTheBind() throws Exception {
        LinuxUdpBind bind = LinuxUdpBind.open(0, true, true);
        try (DatagramChannel sender = DatagramChannel.open()) {
            assertNotNull(bind.handshakeLane(), bind.ioPath());
            bind.steerByReceiverTag(0x2a);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", bind.port());
            sender.send(message(9, 100), to);
            sender.send(transport(0x07, 100), to);
            awaitCount(bind::malformedDrops, 1);
            awaitCount(bind::unknownIndexDrops, 1);
        } finally {
            bind.close();
        }
        assertEquals(1, bind.malformedDrops());
        assertEquals(1, bind.unknownIndexDrops());
    }

    /** Waits (a few seconds at most) until {@code count} says {@code expected}; the kernel counts in its softirq. */
    private static void awaitCount(java.util.function.LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, count.getAsLong());
    }

    /**
     * That nothing else is queued on {@code receiver}: {@code marker}, sent now to {@code port}, is the
     * next datagram it receives.
     */
    private static void assertNothingMore(Bind receiver, int port, ByteBuffer marker) throws Exception {
        marker.put(8, (byte) 0x77);
        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.send(marker, new InetSocketAddress("127.0.0.1", port));
        }
        ByteBuffer next = receive(receiver, 1).get(0);
        assertEquals(0x77, next.get(8), "a datagram before the marker: type " + next.get(0));
    }

    @Test
    void aBindWithoutALaneHasNothingToSteer() throws Exception {
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, false)) {
            assertTrue(!bind.steerByReceiverTag(0x2a));
        }
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, true)) {
            assertThrows(IllegalArgumentException.class, () -> bind.steerByReceiverTag(256));
        }
    }

    @Test
    void aFullLaneIsDroppedByTheKernelCountedAndDataStillArrives() throws Exception {
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, true);
                DatagramChannel flooder = DatagramChannel.open()) {
            assertNotNull(bind.handshakeLane(), bind.ioPath());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", bind.port());
            // far more than the lane's queue holds (8 MiB asked for: some 7,000 datagrams of this size)
            ByteBuffer junk = message(1, 1400);
            for (int i = 0; i < 40_000; i++) {
                junk.rewind();
                flooder.send(junk, to);
            }
            assertTrue(bind.receiveQueueDrops() > 0, "drops " + bind.receiveQueueDrops());
            flooder.send(message(4, 64), to);
            assertEquals(List.of(4), receiveTypes(bind, 1));
        }
    }

    @Test
    void withTheLaneThePortStaysClosedToAnotherBind() throws Exception {
        try (LinuxUdpBind first = LinuxUdpBind.open(0, true, true)) {
            assertNotNull(first.handshakeLane());
            assertThrows(BindException.class, () -> LinuxUdpBind.open(first.port(), true, true));
            assertThrows(BindException.class, () -> LinuxUdpBind.open(first.port(), true, false));
        }
    }

    @Test
    void aBindOpenedWithoutTheLaneHasOneSocket() throws Exception {
        try (LinuxUdpBind bind = LinuxUdpBind.open(0, true, false)) {
            assertNull(bind.handshakeLane());
            assertTrue(!bind.ioPath().contains("lane"), bind.ioPath());
            assertThrows(BindException.class, () -> LinuxUdpBind.open(bind.port(), true, true));
        }
    }

    /** A datagram of {@code length} bytes whose message type (little-endian) is {@code type}. */
    private static ByteBuffer message(int type, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(0, (byte) type);
        return b;
    }

    /** A transport message (type 4) of {@code length} bytes whose receiver index has {@code tag} as low byte. */
    private static ByteBuffer transport(int tag, int length) {
        ByteBuffer b = message(4, length);
        b.put(4, (byte) tag);
        return b;
    }

    /**
     * The receiver tag (the fifth byte) of each of the next {@code count} datagrams on {@code b},
     * and for those that are not transport messages their type plus 1000.
     */
    private static List<Integer> receiveTags(Bind b, int count) {
        List<Integer> tags = new ArrayList<>();
        for (ByteBuffer d : receive(b, count)) {
            tags.add(d.get(0) == 4 ? d.get(4) & 0xff : 1000 + (d.get(0) & 0xff));
        }
        return tags;
    }

    /** The first byte of each of the next {@code count} datagrams on {@code b} (they are already queued). */
    private static List<Integer> receiveTypes(Bind b, int count) {
        List<Integer> types = new ArrayList<>();
        for (ByteBuffer d : receive(b, count)) {
            types.add(d.get(0) & 0xff);
        }
        return types;
    }

    /** The next {@code count} datagrams on {@code b}, each flipped for reading (they are already queued). */
    private static List<ByteBuffer> receive(Bind b, int count) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> {
                    List<ByteBuffer> datagrams = new ArrayList<>();
                    ByteBuffer[] views = new ByteBuffer[64];
                    InetSocketAddress[] sources = new InetSocketAddress[64];
                    while (datagrams.size() < count) {
                        for (int i = 0; i < views.length; i++) {
                            views[i] = ByteBuffer.allocate(2048);
                        }
                        int n = b.receive(views, sources);
                        for (int i = 0; i < n; i++) {
                            datagrams.add(views[i].flip());
                        }
                    }
                    return datagrams;
                },
                "waiting for " + count + " datagrams on " + b);
    }
}
