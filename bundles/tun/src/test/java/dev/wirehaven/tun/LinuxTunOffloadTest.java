package dev.wirehaven.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.internal.linux.LinuxTunQueue;
import dev.wirehaven.tun.internal.offload.OffloadCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/*
 *  namespace wh-offa-<pid>-<n>                             namespace wh-offb-<pid>-<n>
 *  ---------------------------                             ---------------------------
 *  sender socket                                           receiver socket
 *    -> whoffa  10.78.0.1/24  fd78::1/64  mtu 1420           <- whoffb  10.78.0.2/24  fd78::2/64  mtu 1420
 *
 *  test JVM: reader thread  whoffa.read ---> handoff queue ---> writer thread  whoffb.queueWrite ... flushWrites
 *            reader thread  whoffb.read ---> handoff queue ---> writer thread  whoffa.queueWrite ... flushWrites
 *
 *  The writer threads drain their queue like a peer's in-order drain in the data plane: queue what
 *  is there, flush when the queue is empty. A real TCP transfer crosses, its SHA-256 is compared,
 *  and the counters of the TUN queues show that the kernel handed out super-packets (TSO) and took
 *  merged ones (GRO). Then UDP_SEGMENT sends cross (USO): every datagram is checked on arrival, its
 *  sequence number, size and content. Skipped unless root on Linux with /dev/net/tun and iproute2.
 */
class LinuxTunOffloadTest {

    private static final int MTU = 1420;
    private static final int PORT = 5001;
    /** Payload bytes of each datagram of a UDP_SEGMENT send, and datagrams per send. */
    private static final int SEGMENT = 1200;

    private static final int SEGMENTS_PER_SEND = 40;

    @BeforeAll
    static void requireRoot() {
        String reason = NetworkNamespace.unavailableBecause();
        Assumptions.assumeTrue(reason == null, () -> "TUN tests skipped: " + reason);
    }

    // ---- with offloads ----

    @Test
    void tcpCrossesTwoOffloadingTunsIntactAsSuperPacketsBothWays() throws Exception {
        try (Link link = Link.open(true)) {
            assertEquals("vnet-hdr csum tso4 tso6 uso4 uso6 gro", link.a.ioPath());
            assertEquals("vnet-hdr csum tso4 tso6 uso4 uso6 gro", link.b.ioPath());

            link.transfer("10.78.0.2", 64 << 20);
            link.transfer("fd78::2", 16 << 20);

            OffloadCounters read = ((LinuxTunQueue) link.a).counters();
            OffloadCounters written = ((LinuxTunQueue) link.b).counters();
            System.out.println("offloads on, " + link.a.name() + " " + read);
            System.out.println("offloads on, " + link.b.name() + " " + written);
            assertTrue(read.superPacketsRead() > 0, "the sender's kernel handed out TSO super-packets: " + read);
            assertTrue(read.largestRead() > MTU, "a read larger than the MTU: " + read);
            assertTrue(read.segmentsRead() > read.superPacketsRead(), read.toString());
            assertTrue(written.coalescedWrites() > 0, "the receiver's kernel took merged super-packets: " + written);
            assertEquals(0, written.coalescedWritesRefused(), written.toString());
            assertEquals(0, read.malformedDropped(), read.toString());
        }
    }

    @Test
    void udpSegmentSendsCrossAsUdpSuperPacketsAndEveryDatagramArrivesIntact() throws Exception {
        try (Link link = Link.open(true)) {
            assertEquals("vnet-hdr csum tso4 tso6 uso4 uso6 gro", link.a.ioPath());

            int sends = link.udpSegments("10.78.0.2", 400) + link.udpSegments("fd78::2", 100);

            OffloadCounters read = ((LinuxTunQueue) link.a).counters();
            OffloadCounters written = ((LinuxTunQueue) link.b).counters();
            System.out.println("udp, " + link.a.name() + " " + read);
            System.out.println("udp, " + link.b.name() + " " + written);
            assertEquals(
                    sends,
                    read.superPacketsRead(OffloadCounters.Protocol.UDP),
                    "each UDP_SEGMENT send reached the TUN as one super-packet: " + read);
            assertEquals(sends * (long) SEGMENTS_PER_SEND, read.segmentsRead(OffloadCounters.Protocol.UDP));
            assertEquals(0, read.malformedDropped(), read.toString());
            assertTrue(
                    written.coalescedWrites(OffloadCounters.Protocol.UDP) > 0,
                    "the receiver's kernel took merged UDP super-packets: " + written);
            assertEquals(0, written.coalescedWritesRefused(), written.toString());
            assertEquals(0, written.packetsRefused(), written.toString());
        }
    }

    // ---- without ----

    @Test
    void tcpCrossesTwoPlainTunsIntact() throws Exception {
        try (Link link = Link.open(false)) {
            assertEquals("plain (offloads off)", link.a.ioPath());

            link.transfer("10.78.0.2", 64 << 20);

            OffloadCounters read = ((LinuxTunQueue) link.a).counters();
            OffloadCounters written = ((LinuxTunQueue) link.b).counters();
            assertEquals(0, read.superPacketsRead() + read.largestRead());
            assertEquals(0, written.coalescedWrites());
        }
    }

    /** Two namespaces, a TUN in each, and the threads that carry packets between the TUNs. */
    private static final class Link implements AutoCloseable {
        final NetworkNamespace nsA;
        final NetworkNamespace nsB;
        final TunDevice a;
        final TunDevice b;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopping;

        private Link(NetworkNamespace nsA, NetworkNamespace nsB, TunDevice a, TunDevice b) {
            this.nsA = nsA;
            this.nsB = nsB;
            this.a = a;
            this.b = b;
        }

        static Link open(boolean offloads) throws Exception {
            NetworkNamespace nsA = NetworkNamespace.create("wh-offa");
            NetworkNamespace nsB = null;
            TunDevice a = null;
            TunDevice b = null;
            try {
                nsB = NetworkNamespace.create("wh-offb");
                a = nsA.run(() -> LinuxTun.open("whoffa", MTU, offloads));
                b = nsB.run(() -> LinuxTun.open("whoffb", MTU, offloads));
                configure(nsA, "whoffa", "10.78.0.1/24", "fd78::1/64");
                configure(nsB, "whoffb", "10.78.0.2/24", "fd78::2/64");
                Link link = new Link(nsA, nsB, a, b);
                link.forward(a, b);
                link.forward(b, a);
                return link;
            } catch (Exception e) {
                if (a != null) {
                    a.close();
                }
                if (b != null) {
                    b.close();
                }
                if (nsB != null) {
                    nsB.close();
                }
                nsA.close();
                throw e;
            }
        }

        private static void configure(NetworkNamespace ns, String tun, String v4, String v6) throws IOException {
            InterfaceConfigurator.inNamespace(ns.name(), tun).addAddress(v4);
            ns.ipIn("-6", "address", "add", v6, "dev", tun, "nodad"); // usable at once, no duplicate detection
            InterfaceConfigurator.inNamespace(ns.name(), tun).up();
        }

        /** A reader thread and a writer thread carrying packets from {@code from} to {@code to}. */
        private void forward(TunDevice from, TunDevice to) {
            BlockingQueue<byte[]> handoff = new ArrayBlockingQueue<>(4096);
            Thread reader = new Thread(
                    () -> {
                        byte[] buf = new byte[65535];
                        try {
                            while (true) {
                                int n = from.read(buf, 0, buf.length);
                                if (n < 0) {
                                    return;
                                }
                                handoff.put(java.util.Arrays.copyOf(buf, n));
                            }
                        } catch (IOException | InterruptedException e) {
                            if (!stopping) {
                                throw new IllegalStateException(e);
                            }
                        }
                    },
                    "read-" + from.name());
            Thread writer = new Thread(
                    () -> {
                        try {
                            while (!stopping) {
                                byte[] p = handoff.poll(100, TimeUnit.MILLISECONDS);
                                while (p != null) {
                                    to.queueWrite(p, 0, p.length);
                                    p = handoff.poll();
                                }
                                to.flushWrites();
                            }
                        } catch (IOException | InterruptedException e) {
                            if (!stopping) {
                                throw new IllegalStateException(e);
                            }
                        }
                    },
                    "write-" + to.name());
            for (Thread t : List.of(reader, writer)) {
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        /** Sends {@code bytes} pseudo-random bytes from namespace A to {@code receiver} in namespace B over TCP. */
        void transfer(String receiver, int bytes) throws Exception {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(receiver), PORT);
            try (ServerSocketChannel server = nsB.run(ServerSocketChannel::open);
                    SocketChannel client = nsA.run(SocketChannel::open)) {
                server.bind(at);
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                    try (SocketChannel s = server.accept()) {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                        long total = 0;
                        while (s.read(buf) >= 0) {
                            buf.flip();
                            total += buf.remaining();
                            sha.update(buf);
                            buf.clear();
                        }
                        assertEquals(bytes, total, "bytes received");
                        return sha.digest();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                long t0 = System.nanoTime();
                client.connect(at);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                Random random = new Random(bytes);
                byte[] chunk = new byte[1 << 16];
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    random.nextBytes(chunk);
                    int n = Math.min(chunk.length, bytes - sent);
                    sha.update(chunk, 0, n);
                    ByteBuffer out = ByteBuffer.wrap(chunk, 0, n);
                    while (out.hasRemaining()) {
                        client.write(out);
                    }
                }
                client.shutdownOutput();
                byte[] expected = sha.digest();
                assertArrayEquals(expected, received.get(300, TimeUnit.SECONDS), "SHA-256 of what arrived");
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "%s: %d MiB to %s in %.2f s (%.0f Mbit/s)%n",
                        a.ioPath(),
                        bytes >> 20,
                        receiver,
                        seconds,
                        bytes * 8 / seconds / 1e6);
            }
        }

        /**
         * Sends {@code sends} UDP_SEGMENT buffers of {@value #SEGMENTS_PER_SEND} datagrams from
         * namespace A to {@code receiver} in namespace B, and checks every datagram that arrives: its
         * sequence number, size and content. UDP may drop what a receiver cannot take in time, so the
         * sender waits for all datagrams of a send before the next (an acknowledgement in the JVM), and
         * the receive buffer holds many sends; nothing here depends on timing but the limit on a wait.
         *
         * @return {@code sends}
         */
        int udpSegments(String receiver, int sends) throws Exception {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(receiver), PORT);
            BlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
            try (DatagramChannel server = nsB.run(DatagramChannel::open);
                    SegmentingUdpSocket client = nsA.run(() -> SegmentingUdpSocket.open(at, SEGMENT))) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                server.bind(at);
                Thread receiving = new Thread(
                        () -> {
                            ByteBuffer buf = ByteBuffer.allocate(65536);
                            try {
                                while (true) {
                                    buf.clear();
                                    server.receive(buf);
                                    buf.flip();
                                    byte[] d = new byte[buf.remaining()];
                                    buf.get(d);
                                    arrived.add(d);
                                }
                            } catch (IOException e) {
                                // closed at the end of the test
                            }
                        },
                        "receive-udp");
                receiving.setDaemon(true);
                receiving.start();

                long t0 = System.nanoTime();
                byte[] buffer = new byte[SEGMENTS_PER_SEND * SEGMENT];
                long bytes = 0;
                for (int send = 0; send < sends; send++) {
                    // odd sends end with a shorter datagram, even ones are an exact multiple of the segment size
                    int last = send % 2 == 0 ? SEGMENT : 700;
                    long first = (long) send * SEGMENTS_PER_SEND;
                    int length = 0;
                    for (int k = 0; k < SEGMENTS_PER_SEND; k++) {
                        byte[] d = datagram(first + k, k == SEGMENTS_PER_SEND - 1 ? last : SEGMENT);
                        System.arraycopy(d, 0, buffer, length, d.length);
                        length += d.length;
                    }
                    client.send(buffer, length, at);
                    bytes += length;

                    boolean[] seen = new boolean[SEGMENTS_PER_SEND];
                    for (int k = 0; k < SEGMENTS_PER_SEND; k++) {
                        byte[] d = arrived.poll(30, TimeUnit.SECONDS);
                        assertNotNull(
                                d,
                                "send " + send + " to " + receiver + ": only " + k + " of " + SEGMENTS_PER_SEND
                                        + " datagrams arrived");
                        assertTrue(d.length >= 8, "a datagram of " + d.length + " bytes");
                        long seq = ByteBuffer.wrap(d).getLong();
                        int index = (int) (seq - first);
                        assertTrue(
                                index >= 0 && index < SEGMENTS_PER_SEND && !seen[index],
                                "send " + send + ": datagram " + seq + " unexpected or twice");
                        seen[index] = true;
                        int size = index == SEGMENTS_PER_SEND - 1 ? last : SEGMENT;
                        assertArrayEquals(datagram(seq, size), d, "datagram " + seq + " (" + size + " bytes)");
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "%s: %d UDP_SEGMENT sends (%d datagrams, %d KiB) to %s in %.2f s, every datagram intact%n",
                        a.ioPath(),
                        sends,
                        sends * SEGMENTS_PER_SEND,
                        bytes >> 10,
                        receiver,
                        seconds);
                return sends;
            }
        }

        /** Datagram {@code seq}: its sequence number, then {@code size - 8} bytes that only it has. */
        private static byte[] datagram(long seq, int size) {
            byte[] d = new byte[size];
            new Random(seq * 1_000_003L + size).nextBytes(d);
            ByteBuffer.wrap(d).putLong(seq);
            return d;
        }

        @Override
        public void close() throws Exception {
            stopping = true;
            a.close();
            b.close();
            for (Thread t : threads) {
                t.interrupt();
                t.join(10_000);
            }
            try {
                nsA.close();
            } finally {
                nsB.close();
            }
        }
    }
}
