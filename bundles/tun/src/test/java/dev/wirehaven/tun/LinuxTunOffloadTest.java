package dev.wirehaven.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.internal.linux.LinuxTunQueue;
import dev.wirehaven.tun.internal.offload.OffloadCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
 *  merged ones (GRO). Skipped unless root on Linux with /dev/net/tun and iproute2.
 */
class LinuxTunOffloadTest {

    private static final int MTU = 1420;
    private static final int PORT = 5001;

    @BeforeAll
    static void requireRoot() {
        String reason = NetworkNamespace.unavailableBecause();
        Assumptions.assumeTrue(reason == null, () -> "TUN tests skipped: " + reason);
    }

    // ---- with offloads ----

    @Test
    void tcpCrossesTwoOffloadingTunsIntactAsSuperPacketsBothWays() throws Exception {
        try (Link link = Link.open(true)) {
            assertEquals("vnet-hdr csum tso4 tso6 gro", link.a.ioPath());
            assertEquals("vnet-hdr csum tso4 tso6 gro", link.b.ioPath());

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
