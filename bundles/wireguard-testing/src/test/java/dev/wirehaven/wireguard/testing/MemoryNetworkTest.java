package dev.wirehaven.wireguard.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.conn.Bind;
import dev.wirehaven.wireguard.conn.BindFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/*
 *   a [192.0.2.1 / 2001:db8::1]  <-- MemoryNetwork -->  b [192.0.2.2 / 2001:db8::2]
 *                                     ^
 *                       inject(any source) / filter / roam
 */
class MemoryNetworkTest {

    private final MemoryNetwork net = new MemoryNetwork();

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    private static String received(MemoryBind bind, ByteBuffer buf) throws IOException {
        buf.clear();
        assertNotNull(bind.receive(buf, 0, TimeUnit.SECONDS), "expected a datagram on " + bind);
        buf.flip();
        return US_ASCII.decode(buf).toString();
    }

    // ---- addressing ----

    @Test
    void bindsGetDistinctDocumentationAddressesOnBothFamilies() throws Exception {
        MemoryBind a = net.open(51820);
        MemoryBind b = net.open(51820);
        assertEquals("192.0.2.1", a.endpointV4().getAddress().getHostAddress());
        assertEquals(InetAddress.getByName("2001:db8::1"), a.endpointV6().getAddress());
        assertEquals("192.0.2.2", b.endpointV4().getAddress().getHostAddress());
        assertEquals(51820, a.port());
        assertEquals(51820, b.endpointV6().getPort());
    }

    @Test
    void portZeroPicksAFreeEphemeralPort() throws Exception {
        InetAddress host = net.newAddressV4();
        MemoryBind a = net.open(0, host);
        MemoryBind b = net.open(0, host);
        assertTrue(a.port() >= 49152, "port " + a.port());
        assertNotEquals(a.port(), b.port());
    }

    @Test
    void secondBindOnTheSameEndpointIsRefused() throws Exception {
        InetAddress host = net.newAddressV4();
        net.open(51820, host);
        assertThrows(BindException.class, () -> net.open(51820, host));
    }

    @Test
    void closingReleasesTheEndpoint() throws Exception {
        InetAddress host = net.newAddressV4();
        net.open(51820, host).close();
        assertEquals(51820, net.open(51820, host).port());
    }

    @Test
    void factoryAtKeepsAReopenedBindOnTheSameHost() throws Exception {
        InetAddress host = net.newAddressV4();
        BindFactory factory = net.factoryAt(host);
        Bind first = factory.open(1000);
        Bind second = factory.open(2000);
        assertEquals(new InetSocketAddress(host, 1000), ((MemoryBind) first).endpoint());
        assertEquals(new InetSocketAddress(host, 2000), ((MemoryBind) second).endpoint());
    }

    // ---- delivery ----

    @Test
    void datagramArrivesWithTheSendersEndpointOfTheDestinationsFamily() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        ByteBuffer buf = ByteBuffer.allocate(100);

        a.send(text("over v4"), b.endpointV4());
        buf.clear();
        assertEquals(a.endpointV4(), b.receive(buf, 0, TimeUnit.SECONDS));

        a.send(text("over v6"), b.endpointV6());
        assertEquals("over v6", receivedFrom(b, buf, a.endpointV6()));
        assertEquals(2, net.delivered());
    }

    private static String receivedFrom(MemoryBind bind, ByteBuffer buf, InetSocketAddress expected) throws IOException {
        buf.clear();
        assertEquals(expected, bind.receive(buf, 0, TimeUnit.SECONDS));
        buf.flip();
        return US_ASCII.decode(buf).toString();
    }

    @Test
    void sendConsumesTheSourceAndCopiesIt() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        ByteBuffer src = text("hello");
        a.send(src, b.endpoint());
        assertEquals(0, src.remaining());
        src.clear();
        src.put("XXXXX".getBytes(US_ASCII));
        assertEquals("hello", received(b, ByteBuffer.allocate(100)));
    }

    @Test
    void receivePutsFromThePositionAndTruncatesLikeDatagramChannel() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        a.send(text("0123456789"), b.endpoint());
        ByteBuffer buf = ByteBuffer.allocate(8);
        buf.position(3);
        assertNotNull(b.receive(buf));
        assertEquals(8, buf.position());
        assertEquals("01234", new String(buf.array(), 3, 5, US_ASCII));
        assertEquals(0, b.pending());
    }

    @Test
    void singleStackBindCannotReachTheOtherFamily() throws Exception {
        MemoryBind v4only = net.open(1, net.newAddressV4());
        MemoryBind b = net.open(2);
        assertThrows(NoRouteToHostException.class, () -> v4only.send(text("x"), b.endpointV6()));
    }

    @Test
    void datagramToAnUnboundEndpointIsCountedNotAnError() throws Exception {
        MemoryBind a = net.open(1);
        a.send(text("void"), new InetSocketAddress(InetAddress.getByName("192.0.2.200"), 9));
        assertEquals(1, net.unroutable());
        assertEquals(1, a.sent());
    }

    @Test
    void fullReceiveQueueDropsAndCounts() throws Exception {
        MemoryNetwork small = new MemoryNetwork(2);
        MemoryBind a = small.open(1);
        MemoryBind b = small.open(2);
        for (int i = 0; i < 5; i++) {
            a.send(text("n" + i), b.endpoint());
        }
        assertEquals(2, small.delivered());
        assertEquals(3, small.overflowed());
        ByteBuffer buf = ByteBuffer.allocate(10);
        assertEquals("n0", received(b, buf));
        assertEquals("n1", received(b, buf));
    }

    // ---- dropping ----

    @Test
    void filterDropsChosenDatagrams() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        net.setFilter((from, to, payload) -> payload.get(payload.position()) != 'D');
        a.send(text("Drop me"), b.endpoint());
        a.send(text("keep me"), b.endpoint());
        assertEquals("keep me", received(b, ByteBuffer.allocate(100)));
        assertEquals(0, b.pending());
        assertEquals(1, net.filtered());
    }

    @Test
    void dropAllCutsTheNetworkUntilRestored() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        net.dropAll(true);
        a.send(text("lost"), b.endpoint());
        assertEquals(0, b.pending());
        net.dropAll(false);
        a.send(text("found"), b.endpoint());
        assertEquals("found", received(b, ByteBuffer.allocate(100)));
    }

    // ---- roaming ----

    @Test
    void roamingChangesTheSourceThatThePeerSeesAndFreesTheOldEndpoint() throws Exception {
        MemoryBind laptop = net.open(40000);
        MemoryBind server = net.open(51820);
        InetSocketAddress before = laptop.endpoint();

        InetSocketAddress after = laptop.roam();
        assertNotEquals(before.getAddress(), after.getAddress());
        assertEquals(40000, after.getPort());
        assertTrue(laptop.endpointV6() != null, "a dual-stack bind stays dual-stack");

        laptop.send(text("from the new network"), server.endpoint());
        ByteBuffer buf = ByteBuffer.allocate(100);
        assertEquals(after, server.receive(buf, 0, TimeUnit.SECONDS));

        server.send(text("to the old address"), before);
        assertEquals(1, net.unroutable());
        assertNull(net.boundAt(before));
        assertEquals(laptop, net.boundAt(after));
    }

    @Test
    void moveToAnOccupiedEndpointIsRefused() throws Exception {
        InetAddress taken = net.newAddressV4();
        net.open(7, taken);
        MemoryBind b = net.open(7, net.newAddressV4());
        assertThrows(BindException.class, () -> b.moveTo(taken));
    }

    // ---- injection ----

    @Test
    void injectedDatagramsComeFromAnyClaimedSource() throws Exception {
        MemoryBind b = net.open(51820);
        InetSocketAddress spoofed = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 666);
        assertTrue(net.inject(spoofed, b.endpoint(), new byte[] {1, 2, 3}));
        ByteBuffer buf = ByteBuffer.allocate(10);
        assertEquals(spoofed, b.receive(buf));
        assertEquals(3, buf.position());
    }

    @Test
    void injectionFloodIsBoundedByTheQueue() throws Exception {
        MemoryNetwork small = new MemoryNetwork(16);
        MemoryBind b = small.open(51820);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            InetSocketAddress from = new InetSocketAddress(small.newAddressV6(), 1000 + i);
            accepted += small.inject(from, b.endpointV6(), new byte[148]) ? 1 : 0;
        }
        assertEquals(16, accepted);
        assertEquals(984, small.overflowed());
        assertTrue(b.receive(ByteBuffer.allocate(200)).getAddress() instanceof Inet6Address);
    }

    @Test
    void addressesBeyondTheFirstTestNetComeFromTheBenchmarkingRange() throws Exception {
        InetAddress last = null;
        for (int i = 0; i < 300; i++) {
            last = net.newAddressV4();
        }
        assertTrue(last instanceof Inet4Address);
        assertEquals("198.18.0.46", last.getHostAddress());
    }

    // ---- closing ----

    @Test
    void closeUnblocksABlockedReceive() throws Exception {
        MemoryBind b = net.open(2);
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                result.complete(b.receive(ByteBuffer.allocate(100)));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        receiver.start();
        while (receiver.getState() != Thread.State.WAITING && receiver.isAlive()) {
            Thread.sleep(1);
        }
        b.close();
        assertNull(result.get(30, TimeUnit.SECONDS));
    }

    @Test
    void sendAfterCloseFailsAndCloseIsIdempotent() throws Exception {
        MemoryBind a = net.open(1);
        MemoryBind b = net.open(2);
        a.close();
        a.close();
        assertThrows(ClosedChannelException.class, () -> a.send(text("x"), b.endpoint()));
        assertNull(a.receive(ByteBuffer.allocate(10)));
        assertNull(a.endpoint());
    }
}
