package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.echo;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.tcp;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimate of distinct denied destinations: the sketch alone, then through a peer's filter. */
class DeniedDestinationsTest {

    private static final long NOW = 1_000_000_000_000L;
    private static final String PEER = "10.0.0.1";

    private final PacketFlow scratch = new PacketFlow();

    /** The peer may reach 10.0.1.5 on TCP port 22; everything else is denied. */
    private static PeerFilter sshOnly() {
        return new PeerFilter(
                List.of(List.of(new FlowRule("ssh", true, Cidr.parse("10.0.1.5/32"), 6, 22, 22))), List.of());
    }

    private boolean fromPeer(FlowFilter f, byte[] p) {
        return f.admit(p, 0, p.length, scratch, true, NOW);
    }

    private static void assertWithin(double fraction, long expected, long actual) {
        assertTrue(
                Math.abs(actual - expected) <= fraction * expected,
                "estimate " + actual + " for " + expected + " distinct destinations");
    }

    // ---- the sketch ----

    @Test
    void nothingDeniedEstimatesZero() {
        assertEquals(0, new DeniedDestinations(7).estimate());
    }

    @Test
    void oneDestinationDeniedAThousandTimesCountsOne() {
        DeniedDestinations d = new DeniedDestinations(7);
        for (int i = 0; i < 1000; i++) {
            d.add(false, 0x0a000105L << 32, 0, 6, 23);
        }
        assertEquals(1, d.estimate());
    }

    @Test
    void hundredsAndThousandsOfDistinctDestinationsAreEstimatedWithinTenPercent() {
        for (int n : new int[] {100, 1000}) {
            for (long seed = 1; seed <= 5; seed++) { // a few per-peer seeds, not one lucky one
                DeniedDestinations d = new DeniedDestinations(seed);
                for (int i = 0; i < n; i++) {
                    long address = (0x0a000000L + i / 10) << 32; // 10.0.0.x
                    d.add(false, address, 0, 17, 1000 + i % 10);
                    d.add(false, address, 0, 17, 1000 + i % 10); // a repeat changes nothing
                }
                assertWithin(0.10, n, d.estimate());
            }
        }
    }

    @Test
    void theTripleDecides() {
        DeniedDestinations d = new DeniedDestinations(3);
        long hi = 0xfd00000000000000L;
        d.add(true, hi, 1, 6, 80);
        d.add(true, hi, 1, 17, 80); // another protocol
        d.add(true, hi, 1, 6, 81); // another port
        d.add(true, hi, 2, 6, 80); // another address
        d.add(false, hi, 1, 6, 80); // the same bits, but IPv4
        assertEquals(5, d.estimate());
    }

    @Test
    void theEstimateSaturatesOnceEveryBitIsSet() {
        DeniedDestinations d = new DeniedDestinations(11);
        for (int i = 0; i < 200_000; i++) {
            d.add(false, (0x0a000000L + i) << 32, 0, 6, 22);
        }
        assertEquals(DeniedDestinations.SATURATED, d.estimate());
        assertEquals(34_070, DeniedDestinations.SATURATED);
    }

    @Test
    void afterTheFirstDenialAddingAllocatesNothing() {
        DeniedDestinations d = new DeniedDestinations(5);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // the bitmap, and compiled code
            d.add(false, ((long) i) << 32, 0, 17, i & 0xffff);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            d.add(false, ((long) i) << 32, 0, 17, i & 0xffff);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 1024, allocated + " bytes for 100,000 denials");
    }

    // ---- through the filter ----

    @Test
    void aFilterCountsTheDistinctDestinationsItDenied() {
        FlowFilter f = new FlowFilter(sshOnly(), 64, 1);
        assertEquals(0, f.deniedDestinations());
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)), "allowed: not counted");
        for (int i = 0; i < 1000; i++) {
            assertFalse(fromPeer(f, tcp(PEER, 40000 + i, "10.0.1.5", 23))); // one destination, many flows
        }
        assertEquals(1, f.deniedDestinations());
        assertFalse(fromPeer(f, echo(PEER, "10.0.1.5", false, 1)), "ICMP: port 0");
        assertFalse(fromPeer(f, echo(PEER, "10.0.1.5", false, 2)), "the same destination");
        assertEquals(2, f.deniedDestinations());
        for (int port = 1; port <= 100; port++) {
            fromPeer(f, udp(PEER, 5353, "10.0.2.1", port));
        }
        assertWithin(0.10, 102, f.deniedDestinations());
        assertEquals(1000L + 2 + 100, f.deniedByRule().get(PeerFilter.DEFAULT_DENY));
    }

    @Test
    void aReplacedFilterStartsAgainFromZeroWhileTheRuleCountsGoOn() {
        FlowFilter f = new FlowFilter(sshOnly(), 64, 1);
        for (int port = 1; port <= 50; port++) {
            assertFalse(fromPeer(f, udp(PEER, 5353, "10.0.2.1", port)));
        }
        assertWithin(0.10, 50, f.deniedDestinations());
        f.replace(sshOnly());
        assertEquals(0, f.deniedDestinations());
        assertEquals(50L, f.deniedByRule().get(PeerFilter.DEFAULT_DENY));
        assertFalse(fromPeer(f, udp(PEER, 5353, "10.0.2.1", 1)));
        assertEquals(1, f.deniedDestinations());
    }
}
