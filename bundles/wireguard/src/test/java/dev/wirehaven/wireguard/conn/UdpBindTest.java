package dev.wirehaven.wireguard.conn;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/*
 *   bind a  [::]:port-a  <--- loopback (127.0.0.1 or ::1) --->  bind b  [::]:port-b
 *
 *   Only the loopback interface is used. fwmark needs root (CAP_NET_ADMIN) and the JVM option
 *   --add-opens java.base/sun.nio.ch=ALL-UNNAMED (set for surefire in this module's pom).
 */
class UdpBindTest {

    private static final InetAddress V4_LOOPBACK = literal("127.0.0.1");
    private static final InetAddress V6_LOOPBACK = literal("::1");

    // ---- round trips ----

    @Test
    void ipv4RoundTripOverLoopbackReportsAPlainIpv4Sender() throws Exception {
        try (UdpBind a = UdpBind.open(0);
                UdpBind b = UdpBind.open(0)) {
            a.send(text("ping"), new InetSocketAddress(V4_LOOPBACK, b.port()));
            ByteBuffer buf = ByteBuffer.allocate(100);
            InetSocketAddress from = receive(b, buf);
            assertTrue(from.getAddress() instanceof Inet4Address, "IPv4-mapped sender must be plain IPv4: " + from);
            assertEquals(new InetSocketAddress(V4_LOOPBACK, a.port()), from);
            assertEquals("ping", string(buf));

            b.send(text("pong"), from);
            assertEquals(new InetSocketAddress(V4_LOOPBACK, b.port()), receive(a, buf.clear()));
            assertEquals("pong", string(buf));
        }
    }

    @Test
    void ipv6RoundTripOverLoopback() throws Exception {
        try (UdpBind a = UdpBind.open(0);
                UdpBind b = UdpBind.open(0)) {
            Assumptions.assumeTrue(a.isDualStack(), "this host has no IPv6");
            a.send(text("ping6"), new InetSocketAddress(V6_LOOPBACK, b.port()));
            ByteBuffer buf = ByteBuffer.allocate(100);
            InetSocketAddress from = receive(b, buf);
            assertTrue(from.getAddress() instanceof Inet6Address, from.toString());
            assertEquals(new InetSocketAddress(V6_LOOPBACK, a.port()), from);
            assertEquals("ping6", string(buf));
        }
    }

    @Test
    void sendConsumesTheBufferAndReceiveFillsFromItsPosition() throws Exception {
        try (UdpBind a = UdpBind.open(0);
                UdpBind b = UdpBind.open(0)) {
            ByteBuffer src = text("0123456789");
            a.send(src, new InetSocketAddress(V4_LOOPBACK, b.port()));
            assertEquals(0, src.remaining());
            ByteBuffer dst = ByteBuffer.allocate(100);
            dst.position(16); // headroom, as the receive path leaves for in-place decryption
            receive(b, dst);
            assertEquals(26, dst.position());
            assertEquals("0123456789", new String(dst.array(), 16, 10, US_ASCII));
        }
    }

    // ---- ports ----

    @Test
    void portZeroPicksAFreePort() throws Exception {
        try (UdpBind a = UdpBind.open(0);
                UdpBind b = UdpBind.open(0)) {
            assertTrue(a.port() > 0 && a.port() <= 65535, "port " + a.port());
            assertNotEquals(a.port(), b.port());
        }
    }

    @Test
    void portInUseIsRefusedWithAnExplanation() throws Exception {
        try (UdpBind a = UdpBind.open(0)) {
            BindException e = assertThrows(
                    BindException.class, () -> UdpBind.open(a.port()).close());
            assertTrue(
                    e.getMessage().contains(Integer.toString(a.port()))
                            && e.getMessage().contains("in use"),
                    e.getMessage());
        }
    }

    @Test
    void portOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UdpBind.open(65536));
    }

    // ---- closing ----

    @Test
    void closeUnblocksABlockedReceive() throws Exception {
        UdpBind b = UdpBind.open(0);
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        Thread receiver = new Thread(
                () -> {
                    try {
                        result.complete(b.receive(ByteBuffer.allocate(100)));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "udp-close-test");
        receiver.start();
        awaitSleepingInTheKernel("udp-close-test", result);
        b.close();
        assertNull(result.get(30, TimeUnit.SECONDS));
        assertNull(b.receive(ByteBuffer.allocate(10)), "receive after close");
        b.close(); // idempotent
    }

    // ---- socket options ----

    @Test
    void socketBuffersAreRaisedAboveTheDefault() throws Exception {
        int defaultSize;
        try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
            defaultSize = plain.getOption(StandardSocketOptions.SO_RCVBUF);
        }
        long rmemMax = Long.parseLong(
                Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
        Assumptions.assumeTrue(isRoot() || rmemMax * 2 > defaultSize, "neither CAP_NET_ADMIN nor rmem_max room");
        try (UdpBind b = UdpBind.open(0)) {
            assertTrue(b.receiveBufferSize() > defaultSize, b.receiveBufferSize() + " <= " + defaultSize);
            assertTrue(b.sendBufferSize() > defaultSize, "send buffer " + b.sendBufferSize());
        }
    }

    @Test
    void fwmarkIsSetOnTheSocket() throws Exception {
        Assumptions.assumeTrue(isRoot(), "SO_MARK needs CAP_NET_ADMIN");
        try (UdpBind b = UdpBind.open(0)) {
            b.setFwmark(0x5157);
            assertEquals(
                    0x5157,
                    NativeSockets.getInt(b.channel(), NativeSockets.SOL_SOCKET, NativeSockets.SO_MARK, "SO_MARK"));
            assertEquals(0x5157, b.fwmark());
            b.setFwmark(0);
            assertEquals(
                    0, NativeSockets.getInt(b.channel(), NativeSockets.SOL_SOCKET, NativeSockets.SO_MARK, "SO_MARK"));
        }
    }

    @Test
    void fwmarkWithoutTheJvmOptionSaysWhichOptionToAdd() throws Exception {
        List<String> out = runChild(List.of(), "fwmark");
        String error = out.stream()
                .filter(l -> l.startsWith("fwmark-error="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error reported: " + out));
        assertTrue(error.contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), error);
    }

    @Test
    void withoutIpv6TheBindFallsBackToIpv4Only() throws Exception {
        List<String> out = runChild(List.of("-Djava.net.preferIPv4Stack=true"), "v4only");
        assertTrue(out.contains("dualStack=false"), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("v4-from=127.0.0.1:")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("v6-send-error=NoRouteToHostException")), out.toString());
    }

    // ---- helpers ----

    private static InetSocketAddress receive(UdpBind bind, ByteBuffer buf) throws Exception {
        CompletableFuture<InetSocketAddress> from = CompletableFuture.supplyAsync(() -> {
            try {
                return bind.receive(buf);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return from.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            bind.close();
            throw new AssertionError("no datagram arrived on " + bind, e);
        }
    }

    private static List<String> runChild(List<String> jvmOptions, String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UdpBindChildProbe.class.getName());
        command.add(mode);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), text);
        return List.of(text.split("\\R"));
    }

    /** Waits until the named thread sleeps in the kernel (a Java thread in native code is RUNNABLE either way). */
    private static void awaitSleepingInTheKernel(String threadName, CompletableFuture<?> stopIfDone) throws Exception {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return; // not Linux: close before the receive blocks is still covered by the assertion
        }
        while (!stopIfDone.isDone()) {
            try (var list = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) list::iterator) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(threadName)
                                && Files.readString(task.resolve("stat"))
                                        .replaceFirst(".*\\) ", "")
                                        .startsWith("S")) {
                            return;
                        }
                    } catch (IOException threadEnded) {
                        // a task may end between list and read
                    }
                }
            }
            Thread.sleep(1);
        }
    }

    private static boolean isRoot() throws IOException {
        Path status = Path.of("/proc/self/status");
        return Files.exists(status) && Files.readAllLines(status).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    private static String string(ByteBuffer buf) {
        buf.flip();
        return US_ASCII.decode(buf).toString();
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
