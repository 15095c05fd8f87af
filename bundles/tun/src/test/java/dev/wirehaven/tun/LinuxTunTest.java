package dev.wirehaven.tun;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/*
 *  test JVM, host namespace                 namespace wh-tun-<pid>-<n> (created and deleted here)
 *  ------------------------                 ------------------------------------------------------
 *  JUnit thread --- ns.run(task) --------->  setns thread: opens the TUN and the sockets
 *                                             whtun0  10.77.0.1/24  mtu 1420  up
 *  reader thread <-- TUN fd (any thread) ---  kernel routes 10.77.0.0/24 into the TUN;
 *                                             10.77.0.2 is the imaginary far end of the tunnel
 *
 *  Skipped unless root on Linux with /dev/net/tun and iproute2.
 */
class LinuxTunTest {

    private static final InetAddress LOCAL = literal("10.77.0.1");
    private static final InetAddress FAR = literal("10.77.0.2");
    private static NetworkNamespace ns;

    private TunDevice tun;
    private InterfaceConfigurator config;

    @BeforeAll
    static void createNamespace() throws Exception {
        String reason = NetworkNamespace.unavailableBecause();
        Assumptions.assumeTrue(reason == null, () -> "TUN tests skipped: " + reason);
        ns = NetworkNamespace.create("wh-tun");
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void openTun() throws Exception {
        tun = ns.run(() -> LinuxTun.open("whtun0", 1420));
        config = InterfaceConfigurator.inNamespace(ns.name(), tun.name());
        config.addAddress("10.77.0.1/24");
        config.up();
    }

    @AfterEach
    void closeTun() throws IOException {
        if (tun != null) {
            tun.close();
        }
    }

    // ---- opening ----

    @Test
    void openedInterfaceHasTheNameAndMtuAsked() throws Exception {
        assertEquals("whtun0", tun.name());
        assertEquals(1420, tun.mtu());
        assertTrue(ns.ipIn("link", "show", "whtun0").contains("mtu 1420"));
    }

    @Test
    void kernelChosenNameIsReadBack() throws Exception {
        try (TunDevice chosen = ns.run(() -> LinuxTun.open("whk%d", 1280))) {
            assertTrue(chosen.name().matches("whk\\d+"), chosen.name());
            assertTrue(ns.ipIn("link", "show").contains(chosen.name()));
        }
    }

    @Test
    void multiQueueOpensSeveralQueuesOfOneInterface() throws Exception {
        List<TunDevice> queues = ns.run(() -> LinuxTun.open("whmq0", 1400, 3));
        try {
            assertEquals(3, queues.size());
            for (TunDevice q : queues) {
                assertEquals("whmq0", q.name());
            }
            assertTrue(ns.ipIn("-d", "link", "show", "whmq0").contains("multi_queue"));
        } finally {
            for (TunDevice q : queues) {
                q.close();
            }
        }
    }

    @Test
    void tooLongANameIsRefusedBeforeTheKernelSeesIt() {
        assertThrows(IllegalArgumentException.class, () -> ns.run(() -> LinuxTun.open("a-name-of-16-chr", 1420)));
    }

    @Test
    void singleQueueNameInUseIsAnErrorWithAnExplanation() {
        IOException e = assertThrows(IOException.class, () -> ns.run(() -> LinuxTun.open("whtun0", 1420)));
        assertTrue(e.getMessage().contains("TUNSETIFF") && e.getMessage().contains(" — "), e.getMessage());
    }

    // ---- reading: host stack -> TUN ----

    @Test
    void udpDatagramIntoTheSubnetIsReadAsAnIpv4Packet() throws Exception {
        byte[] payload = "through the tunnel".getBytes(US_ASCII);
        try (DatagramChannel socket = ns.run(DatagramChannel::open)) {
            socket.send(ByteBuffer.wrap(payload), new InetSocketAddress(FAR, 9999));
            byte[] p = readMatching(tun, (packet) -> Ipv4Packets.protocol(packet) == Ipv4Packets.UDP);
            assertEquals(LOCAL, Ipv4Packets.source(p));
            assertEquals(FAR, Ipv4Packets.destination(p));
            assertEquals(9999, Ipv4Packets.udpDestinationPort(p));
            assertEquals(20 + 8 + payload.length, p.length);
            assertArrayEquals(payload, Arrays.copyOfRange(p, 28, p.length));
        }
    }

    @Test
    void packetLongerThanTheReadBufferIsReportedAndTheNextOneStillArrives() throws Exception {
        try (DatagramChannel socket = ns.run(DatagramChannel::open)) {
            socket.send(ByteBuffer.wrap(new byte[1000]), new InetSocketAddress(FAR, 9999));
            socket.send(ByteBuffer.wrap(new byte[10]), new InetSocketAddress(FAR, 9999));
            IOException e = null;
            byte[] small = new byte[200];
            int n;
            do { // skip the IPv6 housekeeping the kernel may send on a fresh link
                try {
                    n = tun.read(small, 0, small.length);
                } catch (IOException tooLong) {
                    e = tooLong;
                    break;
                }
            } while (true);
            assertTrue(e.getMessage().contains("1028 bytes"), e.getMessage());
            byte[] next = readMatching(tun, (packet) -> Ipv4Packets.protocol(packet) == Ipv4Packets.UDP);
            assertEquals(38, next.length);
        }
    }

    // ---- writing: TUN -> host stack ----

    @Test
    void icmpEchoWrittenToTheTunIsAnsweredByTheKernel() throws Exception {
        byte[] request = Ipv4Packets.icmpEchoRequest(FAR, LOCAL, 0x4242, 1, "ping".getBytes(US_ASCII));
        tun.write(request, 0, request.length);
        byte[] reply = readMatching(tun, (p) -> Ipv4Packets.protocol(p) == Ipv4Packets.ICMP);
        assertEquals(LOCAL, Ipv4Packets.source(reply));
        assertEquals(FAR, Ipv4Packets.destination(reply));
        assertEquals(0, reply[Ipv4Packets.headerLength(reply)], "ICMP type echo reply");
    }

    @Test
    void udpPacketWrittenAtAnOffsetReachesASocket() throws Exception {
        try (DatagramChannel socket = ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress(LOCAL, 0)))) {
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            byte[] packet = Ipv4Packets.udp(FAR, 5555, LOCAL, port, "from the far end".getBytes(US_ASCII));
            byte[] framed = new byte[packet.length + 48];
            System.arraycopy(packet, 0, framed, 32, packet.length);
            tun.write(framed, 32, packet.length);

            ByteBuffer got = ByteBuffer.allocate(100);
            CompletableFuture<InetSocketAddress> from = CompletableFuture.supplyAsync(() -> {
                try {
                    return (InetSocketAddress) socket.receive(got);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertEquals(new InetSocketAddress(FAR, 5555), from.get(20, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                socket.close();
                throw new AssertionError("the datagram written to the TUN never reached the socket", e);
            }
            got.flip();
            assertEquals("from the far end", US_ASCII.decode(got).toString());
        }
    }

    @Test
    void writingSomethingThatIsNotAnIpPacketIsRefusedWithAReason() {
        byte[] junk = new byte[40];
        junk[0] = 0x11;
        IOException e = assertThrows(IOException.class, () -> tun.write(junk, 0, junk.length));
        assertTrue(e.getMessage().contains("IPv4 or IPv6"), e.getMessage());
    }

    // ---- closing ----

    @Test
    void closeUnblocksABlockedReader() throws Exception {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try {
                        byte[] buf = new byte[1500];
                        int n;
                        do {
                            n = tun.read(buf, 0, buf.length); // IPv6 housekeeping may arrive first
                        } while (n >= 0);
                        result.complete(n);
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "tun-close-test");
        reader.start();
        awaitSleepingInPoll("tun-close-test", result);
        tun.close();
        assertEquals(-1, result.get(30, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> tun.write(new byte[20], 0, 20));
        tun.close();
    }

    @Test
    void closingTheLastQueueRemovesTheInterface() throws Exception {
        tun.close();
        IOException e = assertThrows(IOException.class, () -> ns.ipIn("link", "show", "whtun0"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    // ---- interface configuration ----

    @Test
    void mtuChangedThroughTheConfiguratorShowsOnTheDevice() throws Exception {
        config.setMtu(1380);
        assertEquals(1380, tun.mtu());
    }

    @Test
    void addressesOfBothFamiliesCanBeAddedAndRemoved() throws Exception {
        config.addAddress("fd77::1/64");
        assertTrue(
                config.addresses().containsAll(List.of("10.77.0.1/24", "fd77::1/64")),
                config.addresses().toString());
        config.removeAddress("fd77::1/64");
        assertTrue(
                !config.addresses().contains("fd77::1/64"), config.addresses().toString());
    }

    @Test
    void routesCanBeAddedAndRemoved() throws Exception {
        config.addRoute("10.78.0.0/16");
        config.addRoute("fd78::/48");
        assertTrue(ns.ipIn("-4", "route", "show").contains("10.78.0.0/16 dev whtun0"));
        assertTrue(ns.ipIn("-6", "route", "show").contains("fd78::/48 dev whtun0"));
        config.removeRoute("10.78.0.0/16");
        config.removeRoute("fd78::/48");
        assertTrue(!ns.ipIn("-4", "route", "show").contains("10.78.0.0/16"));
    }

    @Test
    void ipErrorTextIsInTheException() throws Exception {
        IOException e = assertThrows(IOException.class, () -> config.addAddress("10.77.0.1/24"));
        // iproute2's own words (older releases print "RTNETLINK answers: File exists")
        assertTrue(
                e.getMessage().contains("Address already assigned")
                        || e.getMessage().contains("File exists"),
                e.getMessage());
        IOException missing = assertThrows(
                IOException.class,
                () -> InterfaceConfigurator.inNamespace(ns.name(), "nosuchif0").up());
        assertTrue(missing.getMessage().contains("nosuchif0"), missing.getMessage());
    }

    @Test
    void argumentsThatAreNotAddressesNeverReachTheCommand() {
        assertThrows(IllegalArgumentException.class, () -> config.addAddress("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> config.addRoute("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceConfigurator.of("-all"));
    }

    /**
     * Waits until the named thread sleeps in the kernel's poll, so that close is proven to wake a
     * reader that is really blocked (a Java thread in native code is RUNNABLE either way).
     */
    private static void awaitSleepingInPoll(String threadName, CompletableFuture<?> stopIfDone) throws Exception {
        while (!stopIfDone.isDone()) {
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(threadName)) {
                            String wchan =
                                    Files.readString(task.resolve("wchan")).trim();
                            // some kernels hide wchan ("0"); then "sleeping" is the best evidence there is
                            boolean sleeping = Files.readString(task.resolve("stat"))
                                    .replaceFirst(".*\\) ", "")
                                    .startsWith("S");
                            if (wchan.contains("poll") || (wchan.equals("0") && sleeping)) {
                                return;
                            }
                        }
                    } catch (IOException threadEnded) {
                        // a task may end between list and read
                    }
                }
            }
            Thread.sleep(1);
        }
    }

    /** Reads until a packet matches (the kernel may first send IPv6 router solicitations or MLD). */
    private static byte[] readMatching(TunDevice tun, Predicate<byte[]> wanted) throws Exception {
        CompletableFuture<byte[]> found = CompletableFuture.supplyAsync(() -> {
            byte[] buf = new byte[65535];
            try {
                for (int i = 0; i < 1000; i++) {
                    int n = tun.read(buf, 0, buf.length);
                    if (n < 0) {
                        throw new IllegalStateException("TUN closed before the packet came");
                    }
                    byte[] p = Arrays.copyOf(buf, n);
                    if (Ipv4Packets.isIpv4(p, n) && wanted.test(p)) {
                        return p;
                    }
                }
                throw new IllegalStateException("1000 packets and none matched");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return found.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            tun.close(); // unblocks the reader
            throw new AssertionError("the expected packet never came out of the TUN", e);
        }
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
