package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.echo;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.fragment4;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.icmpError;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.tcp;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The decisions of one peer's filter, packet by packet, without a device. */
class FlowFilterTest {

    private static final long T0 = 1_000_000_000_000L;
    private static final String PEER = "10.0.0.1";

    private final PacketFlow scratch = new PacketFlow();
    private long now = T0;

    private static FlowRule rule(String name, boolean allow, String dst, int protocol, int port) {
        return new FlowRule(name, allow, Cidr.parse(dst), protocol, port, port);
    }

    private static PeerFilter sshAndDns() {
        return new PeerFilter(
                List.of(List.of(
                        rule("ssh", true, "10.0.1.5/32", 6, 22),
                        rule("dns", true, "10.0.1.53/32", 17, 53),
                        new FlowRule("ping", true, Cidr.parse("10.0.1.0/24"), 1, 0, 0))),
                List.of());
    }

    /** A packet that the peer sends. */
    private boolean fromPeer(FlowFilter f, byte[] p) {
        return f.admit(p, 0, p.length, scratch, true, now);
    }

    /** A packet for the peer. */
    private boolean toPeer(FlowFilter f, byte[] p) {
        return f.admit(p, 0, p.length, scratch, false, now);
    }

    @Test
    void theRepliesOfAnAllowedFlowReachThePeer() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)));
        assertTrue(toPeer(f, tcp("10.0.1.5", 22, PEER, 40000)));
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)));
        assertEquals(1, f.openFlows(now));
        assertEquals(Map.of(), f.deniedByRule());
    }

    @Test
    void eachNewFlowIsCountedOnceUnderTheRuleThatAllowedIt() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)));
        assertTrue(toPeer(f, tcp("10.0.1.5", 22, PEER, 40000)));
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)), "the same flow: no second decision");
        assertTrue(fromPeer(f, tcp(PEER, 40001, "10.0.1.5", 22)), "a second connection: a second flow");
        assertTrue(fromPeer(f, udp(PEER, 40002, "10.0.1.53", 53)));
        assertEquals(Map.of("ssh", 2L, "dns", 1L), f.allowedFlowsByRule());
    }

    @Test
    void unsolicitedPacketsTowardThePeerAreDeniedUnlessAToPeerRuleAllowsThem() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertFalse(toPeer(f, tcp("10.0.1.5", 22, PEER, 40000)), "no flow: only replies reach the peer");
        assertFalse(toPeer(f, udp("10.0.1.5", 4000, PEER, 53)));
        assertEquals(Map.of(PeerFilter.DEFAULT_DENY, 2L), f.deniedByRule());

        f.replace(
                new PeerFilter(sshAndDns().fromPeer(), List.of(List.of(rule("peer-dns", true, PEER + "/32", 17, 53)))));
        assertTrue(toPeer(f, udp("10.0.1.5", 4000, PEER, 53)));
        assertTrue(fromPeer(f, udp(PEER, 53, "10.0.1.5", 4000)), "the peer's answer");
        assertFalse(fromPeer(f, udp(PEER, 53, "10.0.1.6", 4000)), "not an answer, and not allowed");
    }

    @Test
    void aReplacedFilterStopsTheFlowsItNoLongerAllowsAndKeepsTheOthers() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertTrue(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)));
        assertTrue(fromPeer(f, udp(PEER, 40001, "10.0.1.53", 53)));

        f.replace(new PeerFilter(
                List.of(List.of(
                        rule("dns", true, "10.0.1.53/32", 17, 53), rule("no-ssh", false, "10.0.1.5/32", 6, 22))),
                List.of()));
        assertFalse(toPeer(f, tcp("10.0.1.5", 22, PEER, 40000)), "the reply, judged again as the peer's flow");
        assertEquals(Map.of("no-ssh", 1L), f.deniedByRule());
        assertFalse(fromPeer(f, tcp(PEER, 40000, "10.0.1.5", 22)), "gone: judged as a new flow");
        assertEquals(Map.of("no-ssh", 2L), f.deniedByRule());
        assertTrue(toPeer(f, udp("10.0.1.53", 53, PEER, 40001)), "still allowed");
        assertEquals(1, f.openFlows(now));
    }

    @Test
    void flowsCloseWhenIdleOnTheGivenClock() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertTrue(fromPeer(f, echo(PEER, "10.0.1.9", false, 5)));
        now += TimeUnit.SECONDS.toNanos(29);
        assertTrue(toPeer(f, echo("10.0.1.9", PEER, true, 5)));
        now += TimeUnit.SECONDS.toNanos(30);
        assertFalse(toPeer(f, echo("10.0.1.9", PEER, true, 5)));
        assertEquals(0, f.openFlows(now));
    }

    @Test
    void laterFragmentsPassOnlyAfterTheirFirstFragmentPassed() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        byte[] query = udp(PEER, 40000, "10.0.1.53", 53);
        assertFalse(fromPeer(f, fragment4(query, 9, 3, false)), "before the first: dropped");
        assertTrue(fromPeer(f, fragment4(query, 10, 0, true)));
        assertTrue(fromPeer(f, fragment4(query, 10, 3, false)));
        byte[] elsewhere = udp(PEER, 40000, "10.0.1.54", 53);
        assertFalse(fromPeer(f, fragment4(elsewhere, 11, 0, true)));
        assertFalse(fromPeer(f, fragment4(elsewhere, 11, 3, false)));

        f.replace(sshAndDns());
        assertFalse(fromPeer(f, fragment4(query, 10, 6, false)), "its first fragment was judged by older rules");
    }

    @Test
    void icmpErrorsPassForOpenFlowsOnly() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        byte[] syn = tcp(PEER, 40000, "10.0.1.5", 22);
        assertFalse(toPeer(f, icmpError("10.0.1.254", PEER, 3, syn)), "no flow yet");
        assertTrue(fromPeer(f, syn));
        assertTrue(toPeer(f, icmpError("10.0.1.254", PEER, 3, syn)));
        assertFalse(toPeer(f, icmpError("10.0.1.254", PEER, 3, tcp(PEER, 40001, "10.0.1.5", 22))));
        assertEquals(1, f.openFlows(now), "errors open no flows");
    }

    @Test
    void aPacketWhoseFlowCannotBeToldIsDeniedByDefault() {
        FlowFilter f = new FlowFilter(sshAndDns(), 64, 1);
        assertFalse(fromPeer(f, new byte[] {0x45, 0, 0, 10}));
        assertEquals(Map.of(PeerFilter.DEFAULT_DENY, 1L), f.deniedByRule());
    }

    @Test
    void aNewFlowIsDeniedWhenTheTableIsFullOfAnsweredFlows() {
        FlowFilter f = new FlowFilter(sshAndDns(), 2, 1);
        for (int port = 1; port <= 2; port++) {
            assertTrue(fromPeer(f, udp(PEER, port, "10.0.1.53", 53)));
            assertTrue(toPeer(f, udp("10.0.1.53", 53, PEER, port)));
        }
        assertFalse(fromPeer(f, udp(PEER, 3, "10.0.1.53", 53)));
        assertEquals(Map.of(FlowFilter.TABLE_FULL, 1L), f.deniedByRule());
    }
}
