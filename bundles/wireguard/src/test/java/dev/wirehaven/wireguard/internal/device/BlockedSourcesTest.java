package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.internal.Protocol;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.Packets;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocked sources on two real devices with a controlled clock:
 *
 * <pre>
 *   A (hostA4, hostA6) --- initiation ---> B :51821 (hostB4, hostB6)
 *                                           B blocks some prefixes: A's, or others
 * </pre>
 *
 * A's retransmission after REKEY_TIMEOUT is fired by moving the clock and running A's timers.
 */
class BlockedSourcesTest {

    private final TestClock clock = new TestClock();
    private DevicePair pair;

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(clock, false, DeviceOptions.defaults().withCryptoWorkers(2));
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private void block(Cidr... prefixes) throws ConfigException {
        pair.b.configure(tx -> tx.blockSources(List.of(prefixes)));
    }

    private static Cidr host(InetAddress a) {
        return new Cidr(a, a.getAddress().length * 8);
    }

    private PeerSnapshot aAtB() {
        return pair.b.snapshot().peers().get(0);
    }

    /** Waits until no datagram has moved for a while. */
    private void settle() {
        Await.quiet(() -> pair.net.delivered() + pair.net.unroutable() + pair.a.indicesInUse() + pair.b.indicesInUse());
    }

    /** A's next initiation: past REKEY_TIMEOUT plus the largest jitter. */
    private void retransmit() {
        clock.advance(Duration.ofMillis(5334));
        pair.a.runDueTimers();
    }

    private void assertBlockedOnce() {
        Await.until("the initiation blocked", () -> pair.b.drops(DropReason.SOURCE_BLOCKED) == 1);
        settle();
        assertEquals(0, pair.sent("B", Protocol.MESSAGE_RESPONSE), "no response");
        assertEquals(0, pair.sent("B", Protocol.MESSAGE_COOKIE_REPLY), "no cookie reply");
        assertEquals(0, pair.b.drops(DropReason.BAD_HANDSHAKE) + pair.b.drops(DropReason.BAD_MAC1));
        assertEquals(0, aAtB().lastHandshakeEpochNanos(), "no handshake completed");
        assertEquals(0, aAtB().rxPackets());
    }

    // ---- IPv4 ----

    @Test
    void anInitiationFromABlockedSourceIsDroppedCountedAndCompletesNoHandshake() throws Exception {
        block(new Cidr(pair.hostA4, 24));
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        assertBlockedOnce();
        assertEquals(1, pair.sent("A", Protocol.MESSAGE_INITIATION));
    }

    @Test
    void theSameInitiationFromAnUnblockedSourceCompletes() throws Exception {
        block(host(pair.net.newAddressV4()), host(pair.net.newAddressV6()));
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS));
        assertEquals(0, pair.b.drops(DropReason.SOURCE_BLOCKED));
        assertTrue(aAtB().lastHandshakeEpochNanos() > 0);
    }

    @Test
    void replacingTheListUnblocksAtOnce() throws Exception {
        block(host(pair.hostA4));
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1);
        pair.tunA.inject(p);
        assertBlockedOnce();

        block(); // an empty list blocks nothing
        assertEquals(List.of(), pair.b.snapshot().blockedSources());
        retransmit();
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS), "the retransmission completed");
        assertEquals(1, pair.b.drops(DropReason.SOURCE_BLOCKED));
    }

    @Test
    void aRefusedTransactionLeavesTheOldList() throws Exception {
        Cidr blocked = host(pair.hostA4);
        block(blocked);
        assertThrows(
                ConfigException.class,
                () -> pair.b.configure(tx -> {
                    tx.blockSources(List.of());
                    tx.listenPort(70_000); // refused: outside 0-65535
                }));
        assertEquals(List.of(blocked), pair.b.snapshot().blockedSources());
        pair.tunA.inject(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        assertBlockedOnce();
    }

    @Test
    void theTransportPacketsOfAnExistingSessionStillPass() throws Exception {
        byte[] p = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1);
        pair.tunA.inject(p);
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS));
        settle();
        block(host(pair.hostA4));
        byte[] q = Packets.ipv4("10.0.0.1", "10.0.0.2", 30, 2);
        pair.tunA.inject(q);
        assertArrayEquals(q, pair.tunB.poll(10, TimeUnit.SECONDS), "blocking starts no new session only");
        assertEquals(0, pair.b.drops(DropReason.SOURCE_BLOCKED));
    }

    // ---- IPv6 ----

    @Test
    void anIpv6SourceIsBlockedByItsPrefixAndNotByAnIpv4One() throws Exception {
        pair.a.configure(tx -> tx.peer(pair.pubB, true).endpoint(new InetSocketAddress(pair.hostB6, 51821)));
        Cidr a6 = new Cidr(pair.hostA6, 64);
        block(a6);
        assertEquals(List.of(a6), pair.b.snapshot().blockedSources());
        byte[] p = Packets.ipv6("fd00::1", "fd00::2", 20, 1);
        pair.tunA.inject(p);
        assertBlockedOnce();

        block(host(pair.hostA4)); // A's IPv4 address: the IPv6 source is no longer covered
        retransmit();
        assertArrayEquals(p, pair.tunB.poll(10, TimeUnit.SECONDS));
        assertEquals(new InetSocketAddress(pair.hostA6, 51820), aAtB().endpoint());
        assertEquals(1, pair.b.drops(DropReason.SOURCE_BLOCKED));
    }

    // ---- the list itself ----

    @Test
    void theSnapshotListsThePrefixesIpv4FirstInAddressOrderWithoutDuplicates() {
        BlockedSources s = new BlockedSources(List.of(
                Cidr.parse("fd00::/8"),
                Cidr.parse("10.1.2.3/32"),
                Cidr.parse("10.0.0.0/8"),
                Cidr.parse("10.0.0.0/8"),
                Cidr.parse("192.0.2.0/24")));
        assertEquals(
                List.of(
                        Cidr.parse("10.0.0.0/8"),
                        Cidr.parse("10.1.2.3/32"),
                        Cidr.parse("192.0.2.0/24"),
                        Cidr.parse("fd00::/8")),
                s.prefixes());
    }

    @Test
    void aPrefixCoversTheAddressesInsideItOnlyInItsOwnFamily() throws Exception {
        BlockedSources s = new BlockedSources(List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")));
        assertTrue(s.covers(InetAddress.getByName("192.0.2.200")));
        assertFalse(s.covers(InetAddress.getByName("192.0.3.1")));
        assertTrue(s.covers(InetAddress.getByName("2001:db8:ffff::1")));
        assertFalse(s.covers(InetAddress.getByName("2001:db9::1")));
        assertFalse(s.covers(InetAddress.getByName("::c000:201")), "192.0.2.1's bits, but IPv6");
        assertFalse(BlockedSources.NONE.covers(InetAddress.getByName("192.0.2.1")));
    }
}
