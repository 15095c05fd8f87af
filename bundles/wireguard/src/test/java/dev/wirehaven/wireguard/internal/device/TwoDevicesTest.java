package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.time.Clock;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two devices exchanging traffic over the in-memory network, with the system clock and real timers. */
class TwoDevicesTest {

    private DevicePair pair;

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(Clock.SYSTEM, true, DeviceOptions.defaults().withCryptoWorkers(2));
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private byte[] receive(dev.wirehaven.tun.testing.MemoryTun tun) throws InterruptedException {
        return tun.poll(10, TimeUnit.SECONDS);
    }

    @Test
    void ipv4PacketsCrossBothWaysAfterAHandshake() throws Exception {
        byte[] out = Packets.ipv4("10.0.0.1", "10.0.0.2", 100, 1);
        pair.tunA.inject(out);
        assertArrayEquals(out, receive(pair.tunB));
        byte[] back = Packets.ipv4("10.0.0.2", "10.0.0.1", 1000, 2);
        pair.tunB.inject(back);
        assertArrayEquals(back, receive(pair.tunA));
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION));
        assertEquals(1, pair.sent("B", Protocol.MESSAGE_RESPONSE));

        PeerSnapshot bAtA = pair.a.snapshot().peers().get(0);
        assertTrue(bAtA.lastHandshakeEpochNanos() > 0);
        assertTrue(bAtA.txBytes() > 0 && bAtA.rxBytes() > 0);
        PeerSnapshot aAtB = pair.b.snapshot().peers().get(0);
        assertEquals(pair.endpointA, aAtB.endpoint(), "B learned A's endpoint from the handshake");
    }

    @Test
    void ipv6PacketsCrossBothWays() throws Exception {
        byte[] out = Packets.ipv6("fd00::1", "fd00::2", 1372, 3);
        pair.tunA.inject(out);
        assertArrayEquals(out, receive(pair.tunB));
        byte[] back = Packets.ipv6("fd00::2", "fd00::1", 0, 4);
        pair.tunB.inject(back);
        assertArrayEquals(back, receive(pair.tunA));
    }

    @Test
    void manyPacketsArriveInOrderAndComplete() throws Exception {
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertNotNull(receive(pair.tunB), "handshake done");
        int n = 5000;
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Thread sender = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < n; i++) {
                            while (i - received.get() > 256) {
                                Thread.onSpinWait(); // stay within every queue's capacity: nothing may be lost
                            }
                            byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 64 + (i % 1300), i);
                            p[28] = (byte) (i >>> 8);
                            p[29] = (byte) i;
                            pair.tunA.inject(p);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "sender");
        sender.start();
        for (int i = 0; i < n; i++) {
            byte[] p = receive(pair.tunB);
            assertNotNull(p, "packet " + i + " arrived");
            int seq = (p[28] & 0xff) << 8 | (p[29] & 0xff);
            assertEquals(i & 0xffff, seq, "in order");
            assertEquals(64 + (i % 1300) + 28, p.length);
            received.incrementAndGet();
        }
        sender.join();
        assertEquals(0, pair.a.drops(DropReason.QUEUE_FULL));
        assertEquals(0, pair.b.drops(DropReason.REPLAY));
    }

    @Test
    void paddingToSixteenIsRemovedByTheInnerLength() throws Exception {
        for (int len = 0; len < 20; len++) {
            byte[] out = Packets.ipv4("10.0.0.1", "10.0.0.2", len, len);
            pair.tunA.inject(out);
            assertArrayEquals(out, receive(pair.tunB), "payload " + len);
        }
    }

    @Test
    void aPacketFromAnAddressThePeerMayNotUseIsDroppedAndCounted() throws Exception {
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertNotNull(receive(pair.tunB));
        // A routes by destination only, so a spoofed source still goes out; B must refuse it
        pair.tunA.inject(Packets.ipv4("10.0.0.99", "10.0.0.2", 10, 0));
        pair.tunA.inject(Packets.ipv6("fd00::99", "fd00::2", 10, 0));
        Await.until("B counted two disallowed sources", () -> pair.b.drops(DropReason.DISALLOWED_SOURCE) == 2);
        byte[] ok = Packets.ipv4("10.0.0.1", "10.0.0.2", 11, 0);
        pair.tunA.inject(ok);
        assertArrayEquals(ok, receive(pair.tunB), "nothing spoofed got through, and traffic still flows");
    }

    @Test
    void aSpoofedSourceIsCountedOnThePeerThatSentItNotOnThePeerItImitates() throws Exception {
        Key pubC = Keys.publicFrom(Keys.generatePrivate());
        pair.b.configure(tx -> {
            var c = tx.peer(pubC, false);
            c.addAllowedIp(Cidr.parse("10.0.0.3/32"));
            c.addAllowedIp(Cidr.parse("fd00::3/128"));
        });
        byte[] allowed = Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0);
        pair.tunA.inject(allowed);
        assertArrayEquals(allowed, receive(pair.tunB));
        assertEquals(0, peerAtB(pair.pubA).disallowedSourcePackets(), "an allowed source counts nothing");

        // A sends from C's addresses: B's allowed IPs route them to C, yet A is the sender
        pair.tunA.inject(Packets.ipv4("10.0.0.3", "10.0.0.2", 10, 0));
        pair.tunA.inject(Packets.ipv6("fd00::3", "fd00::2", 10, 0));
        byte[] after = Packets.ipv4("10.0.0.1", "10.0.0.2", 11, 0);
        pair.tunA.inject(after);
        // A's packets are delivered in order: once the last one is out, both spoofed ones were judged
        assertArrayEquals(after, receive(pair.tunB));

        assertEquals(2, peerAtB(pair.pubA).disallowedSourcePackets(), "A sent both spoofed packets");
        assertEquals(0, peerAtB(pubC).disallowedSourcePackets(), "C, whose addresses A used, sent nothing");
        assertEquals(2, pair.b.drops(DropReason.DISALLOWED_SOURCE));
    }

    private PeerSnapshot peerAtB(Key key) {
        return pair.b.snapshot().peers().stream()
                .filter(p -> p.publicKey().equals(key))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aPacketWithoutRouteIsCounted() throws Exception {
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.9.9.9", 10, 0));
        pair.tunA.inject(new byte[] {0x10, 0, 0, 0});
        Await.until(
                "A counted no route and a bad packet",
                () -> pair.a.drops(DropReason.NO_ROUTE) == 1 && pair.a.drops(DropReason.BAD_INNER_PACKET) == 1);
    }

    @Test
    void garbageDatagramsAreCountedAndHarmless() throws Exception {
        byte[] out = Packets.ipv4("10.0.0.1", "10.0.0.2", 100, 1);
        pair.tunA.inject(out);
        assertArrayEquals(out, receive(pair.tunB));

        Random r = new Random(1);
        InetSocketAddress evil = new InetSocketAddress(pair.net.newAddressV4(), 666);
        DeviceSnapshot before = pair.b.snapshot();
        int[] lengths = {0, 1, 3, 4, 31, 32, 64, 92, 148, 200, 1500};
        int sent = 0;
        for (int type = 0; type <= 6; type++) {
            for (int len : lengths) {
                byte[] g = new byte[len];
                r.nextBytes(g);
                if (len >= 4) {
                    g[0] = (byte) type;
                    g[1] = 0;
                    g[2] = 0;
                    g[3] = 0;
                }
                pair.net.inject(evil, pair.endpointB, g);
                sent++;
            }
        }
        // a transport packet on B's real receiving index but with a forged tag
        int index = pair.peerOfB().keypairs.current().localIndex;
        byte[] forged = new byte[64];
        r.nextBytes(forged);
        forged[0] = 4;
        forged[1] = forged[2] = forged[3] = 0;
        dev.wirehaven.wireguard.internal.noise.Noise.putIntLE(forged, 4, index);
        pair.net.inject(evil, pair.endpointB, forged);
        sent++;
        int total = sent;
        Await.until("B counted every garbage datagram", () -> totalDrops(pair.b) - totalDrops(before) == total);
        assertEquals(1, pair.b.drops(DropReason.BAD_AUTH_TAG));
        assertTrue(pair.b.drops(DropReason.MALFORMED) > 0);
        assertTrue(pair.b.drops(DropReason.BAD_MAC1) > 0);
        assertTrue(pair.b.drops(DropReason.UNKNOWN_INDEX) > 0);
        assertEquals(pair.endpointA, pair.b.snapshot().peers().get(0).endpoint(), "no roaming to the forger");

        byte[] again = Packets.ipv4("10.0.0.2", "10.0.0.1", 100, 9);
        pair.tunB.inject(again);
        assertArrayEquals(again, receive(pair.tunA));
    }

    private static long totalDrops(Device d) {
        return totalDrops(d.snapshot());
    }

    private static long totalDrops(DeviceSnapshot s) {
        return s.drops().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void theResponderRoamsToTheInitiatorsNewAddress() throws Exception {
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 1));
        assertNotNull(receive(pair.tunB));
        // A moves: rebind on a new host (a laptop changing networks)
        var moved = pair.net.newAddressV4();
        var bindA = pair.net.boundAt(pair.endpointA);
        bindA.moveTo(moved);
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 2));
        assertNotNull(receive(pair.tunB));
        InetSocketAddress now = new InetSocketAddress(moved, 51820);
        Await.until(
                "B roamed to A's new address",
                () -> now.equals(pair.b.snapshot().peers().get(0).endpoint()));
        byte[] back = Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 3);
        pair.tunB.inject(back);
        assertArrayEquals(back, receive(pair.tunA), "B answers at the new address");
    }

    @Test
    void removingThePeerStopsTrafficAndFreesItsIndices() throws Exception {
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 1));
        assertNotNull(receive(pair.tunB));
        pair.b.configure(tx -> tx.removePeer(pair.pubA));
        assertEquals(0, pair.b.indicesInUse());
        assertTrue(pair.b.snapshot().peers().isEmpty());
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 2));
        Await.until("B dropped the packet of a removed peer", () -> pair.b.drops(DropReason.UNKNOWN_INDEX) >= 1);
        assertNull(pair.tunB.poll(50, TimeUnit.MILLISECONDS));
    }
}
