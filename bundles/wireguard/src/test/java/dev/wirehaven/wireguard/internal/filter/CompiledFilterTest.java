package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.echo;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.ip;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.tcp;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledFilterTest {

    private static FlowRule rule(String name, boolean allow, String dst, int protocol, int first, int last) {
        return new FlowRule(name, allow, Cidr.parse(dst), protocol, first, last);
    }

    private static FlowRule any(String name, boolean allow, String dst) {
        return FlowRule.anyTo(name, allow, Cidr.parse(dst));
    }

    private static CompiledFilter fromPeer(List<List<FlowRule>> stages) {
        return new CompiledFilter(new PeerFilter(stages, List.of()), 0, new FilterCounters());
    }

    /** What these tests expect of an allowed flow, whichever rule allowed it. */
    private static final int ALLOW = Integer.MIN_VALUE;

    /**
     * The verdict of the flow that {@code packet} opens, opened by the peer unless {@code toPeer}:
     * {@link #ALLOW}, {@link CompiledFilter#DEFAULT_DENY} or the index of the denying rule.
     */
    private static int judge(CompiledFilter c, byte[] packet, boolean byPeer) {
        int verdict = verdict(c, packet, byPeer);
        return CompiledFilter.allows(verdict) ? ALLOW : verdict;
    }

    private static int verdict(CompiledFilter c, byte[] packet, boolean byPeer) {
        PacketFlow f = new PacketFlow();
        f.parse(packet, 0, packet.length);
        return c.judge(byPeer, f.v6, f.dstHi, f.dstLo, f.protocol, f.hasPorts, f.dstPort);
    }

    private static int judge(CompiledFilter c, byte[] packet) {
        return judge(c, packet, true);
    }

    @Test
    void theFirstMatchingRuleOfAStageDecidesThatStage() {
        CompiledFilter c = fromPeer(List.of(List.of(
                rule("ssh", true, "10.0.1.5/32", 6, 22, 22),
                any("lan", false, "10.0.1.0/24"),
                any("all", true, "0.0.0.0/0"))));
        assertEquals(ALLOW, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 22)));
        assertEquals(1, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 80)), "lan, before all");
        assertEquals(ALLOW, judge(c, tcp("10.0.0.1", 4000, "10.0.2.5", 80)));
    }

    @Test
    void anAllowedFlowIsCountedUnderTheRuleOfTheEarliestStageThatAllowedIt() {
        FilterCounters counters = new FilterCounters();
        CompiledFilter c = new CompiledFilter(
                new PeerFilter(
                        List.of(
                                List.of(rule("ssh", true, "10.0.1.5/32", 6, 22, 22), any("net", true, "10.0.0.0/8")),
                                List.of(any("net-again", true, "10.0.0.0/8"))),
                        List.of()),
                0,
                counters);
        c.countAllowed(verdict(c, tcp("10.0.0.1", 4000, "10.0.1.5", 22), true));
        c.countAllowed(verdict(c, tcp("10.0.0.1", 4000, "10.0.2.5", 80), true));
        c.countAllowed(verdict(c, tcp("10.0.0.1", 4001, "10.0.2.5", 80), true));
        assertEquals(Map.of("ssh", 1L, "net", 2L), counters.allowed());
        assertEquals(Map.of(), counters.denied());
    }

    @Test
    void aStageThatDeniesDeniesWhateverTheOthersSay() {
        CompiledFilter c = fromPeer(List.of(
                List.of(any("net", true, "10.0.0.0/8")),
                List.of(rule("no-smb", false, "10.0.0.0/8", 6, 445, 445)),
                List.of(any("net-again", true, "10.0.0.0/8"))));
        assertEquals(1, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 445)));
        assertEquals(ALLOW, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 443)));
    }

    @Test
    void aFlowThatNoRuleAllowsIsDeniedByDefault() {
        CompiledFilter c = fromPeer(List.of(List.of(any("lan", true, "10.0.1.0/24")), List.of()));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, udp("10.0.0.1", 4000, "10.9.9.9", 53)));
        CompiledFilter empty = fromPeer(List.of());
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(empty, udp("10.0.0.1", 4000, "10.0.1.5", 53)));
    }

    @Test
    void aPortRangeMatchesTcpAndUdpPortsWithinIt() {
        CompiledFilter c = fromPeer(List.of(List.of(rule("web", true, "10.0.1.0/24", FlowRule.ANY_PROTOCOL, 80, 443))));
        assertEquals(ALLOW, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 80)));
        assertEquals(ALLOW, judge(c, udp("10.0.0.1", 4000, "10.0.1.5", 443)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 444)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("10.0.0.1", 4000, "10.0.1.5", 79)));
        assertEquals(
                CompiledFilter.DEFAULT_DENY, judge(c, echo("10.0.0.1", "10.0.1.5", false, 80)), "ICMP has no ports");
        assertEquals(
                CompiledFilter.DEFAULT_DENY,
                judge(c, ip("10.0.0.1", "10.0.1.5", 6, new byte[] {0, 80})),
                "a header too short for its ports");
    }

    @Test
    void aProtocolRuleMatchesThatProtocolOnly() {
        CompiledFilter c = fromPeer(List.of(
                List.of(rule("dns", true, "10.0.1.53/32", 17, 53, 53), rule("ping", true, "10.0.1.0/24", 1, 0, 0))));
        assertEquals(ALLOW, judge(c, udp("10.0.0.1", 4000, "10.0.1.53", 53)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("10.0.0.1", 4000, "10.0.1.53", 53)));
        assertEquals(ALLOW, judge(c, echo("10.0.0.1", "10.0.1.9", false, 1)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("10.0.0.1", 4000, "10.0.1.9", 1)));
    }

    @Test
    void ipv6PrefixesMatchIpv6FlowsAndIpv4PrefixesDoNot() {
        CompiledFilter c = fromPeer(List.of(List.of(
                any("v6-lan", true, "fd00:1::/64"),
                rule("v6-host", false, "fd00:2::80/128", 6, 0, 0),
                any("all4", true, "0.0.0.0/0"))));
        assertEquals(ALLOW, judge(c, tcp("fd00::1", 4000, "fd00:1::ffff:1", 22)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("fd00::1", 4000, "fd00:1:0:1::1", 22)));
        assertEquals(1, judge(c, tcp("fd00::1", 4000, "fd00:2::80", 22)));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, udp("fd00::1", 4000, "fd00:2::80", 22)));
        assertEquals(
                CompiledFilter.DEFAULT_DENY, judge(c, echo("fd00::1", "fd00:3::1", false, 1)), "0.0.0.0/0 is IPv4");
    }

    @Test
    void flowsTowardThePeerAreJudgedByTheToPeerStages() {
        CompiledFilter c = new CompiledFilter(
                new PeerFilter(
                        List.of(List.of(any("out", true, "0.0.0.0/0"))),
                        List.of(List.of(rule("branch-ssh", true, "192.168.5.10/32", 6, 22, 22)))),
                0,
                new FilterCounters());
        assertEquals(ALLOW, judge(c, tcp("10.0.1.5", 4000, "192.168.5.10", 22), false));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(c, tcp("10.0.1.5", 4000, "192.168.5.10", 80), false));
        assertEquals(ALLOW, judge(c, tcp("192.168.5.10", 4000, "10.0.1.5", 80), true));
        CompiledFilter repliesOnly = fromPeer(List.of(List.of(any("out", true, "0.0.0.0/0"))));
        assertEquals(CompiledFilter.DEFAULT_DENY, judge(repliesOnly, tcp("10.0.1.5", 4000, "192.168.5.10", 22), false));
    }

    @Test
    void deniedPacketsAreCountedByRuleNameAcrossRecompilations() {
        FilterCounters counters = new FilterCounters();
        PeerFilter filter = new PeerFilter(
                List.of(List.of(any("lan", false, "10.0.1.0/24"), any("lan", false, "10.0.2.0/24"))),
                List.of(List.of(any("in", false, "0.0.0.0/0"))));
        CompiledFilter c = new CompiledFilter(filter, 0, counters);
        c.countDenied(judge(c, udp("10.0.0.1", 1, "10.0.1.5", 53)));
        c.countDenied(judge(c, udp("10.0.0.1", 1, "10.0.2.5", 53)));
        c.countDenied(judge(c, udp("10.0.1.5", 1, "10.0.0.1", 53), false));
        c.countDenied(judge(c, udp("10.0.0.1", 1, "10.9.0.1", 53)));
        assertEquals(Map.of("lan", 2L, "in", 1L, PeerFilter.DEFAULT_DENY, 1L), counters.denied());

        CompiledFilter next = new CompiledFilter(filter, 1, counters);
        next.countDenied(judge(next, udp("10.0.0.1", 1, "10.0.1.5", 53)));
        next.countTableFull();
        assertEquals(
                Map.of("lan", 3L, "in", 1L, PeerFilter.DEFAULT_DENY, 1L, FlowFilter.TABLE_FULL, 1L), counters.denied());
    }
}
