package dev.wirehaven.wireguard.internal.device;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.echo;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.tcp;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.FlowRule;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.internal.testing.Await;
import dev.wirehaven.wireguard.internal.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access control on two real devices: B is the server and filters its peer A (10.0.0.1), which
 * reaches B's network 10.0.1.0/24 through the tunnel. The devices run on a controlled clock, so the
 * idle timeouts move only when the test moves it.
 */
class PeerFilterTest {

    private static final String A = "10.0.0.1";

    private final TestClock clock = new TestClock();
    private DevicePair pair;

    @BeforeEach
    void setUp() throws Exception {
        pair = new DevicePair(clock, false, DeviceOptions.defaults().withCryptoWorkers(2));
        pair.a.configure(tx -> tx.peer(pair.pubB, true).addAllowedIp(Cidr.parse("10.0.1.0/24")));
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private void filterA(PeerFilter filter) throws Exception {
        pair.b.configure(tx -> tx.peer(pair.pubA, true).filter(filter));
    }

    private static FlowRule tcpTo(String name, boolean allow, String dst, int port) {
        return new FlowRule(name, allow, Cidr.parse(dst), 6, port, port);
    }

    private static PeerFilter fromPeer(FlowRule... rules) {
        return new PeerFilter(List.of(List.of(rules)), List.of());
    }

    private PeerSnapshot aAtB() {
        return pair.b.snapshot().peers().get(0);
    }

    /** Sends {@code packet} from A into the tunnel and checks that B's network receives it next. */
    private void aReaches(byte[] packet) throws Exception {
        pair.tunA.inject(packet);
        assertArrayEquals(packet, pair.tunB.poll(10, TimeUnit.SECONDS));
    }

    /** Sends {@code packet} from B's network toward A and checks that A receives it next. */
    private void reachesA(byte[] packet) throws Exception {
        pair.tunB.inject(packet);
        assertArrayEquals(packet, pair.tunA.poll(10, TimeUnit.SECONDS));
    }

    private static void assertNothingArrived(MemoryTun tun) throws InterruptedException {
        assertNull(tun.poll(0, TimeUnit.SECONDS));
    }

    @Test
    void aFilteredPeerReachesAnAllowedHostPortAndIsRefusedElsewhereCountedByRule() throws Exception {
        filterA(fromPeer(
                tcpTo("ssh", true, "10.0.1.5/32", 22), FlowRule.anyTo("lan", false, Cidr.parse("10.0.1.0/24"))));
        aReaches(tcp(A, 40000, "10.0.1.5", 22));

        pair.tunA.inject(tcp(A, 40000, "10.0.1.5", 80));
        pair.tunA.inject(tcp(A, 40000, "10.0.1.9", 22));
        pair.tunA.inject(udp(A, 40000, "10.0.0.2", 53)); // B itself: no rule
        aReaches(tcp(A, 40000, "10.0.1.5", 22)); // in order: the three before it were dropped

        assertEquals(3, pair.b.drops(DropReason.POLICY_DENIED));
        PeerSnapshot s = aAtB();
        assertTrue(s.filtered());
        assertEquals(Map.of("lan", 2L, PeerFilter.DEFAULT_DENY, 1L), s.deniedByRule());
        assertEquals(1, s.openFlows());
        Await.until("B counts what it wrote to its TUN", () -> aAtB().rxPackets() == 2); // counted after the write

        reachesA(tcp("10.0.1.5", 22, A, 40000));
        Await.until("B counts the reply it sent", () -> aAtB().txPackets() == 1);
        Await.until(
                "A counts what it sent", () -> pair.a.snapshot().peers().get(0).txPackets() == 5);
        Await.until("A counts the reply", () -> pair.a.snapshot().peers().get(0).rxPackets() == 1);
        assertFalse(pair.a.snapshot().peers().get(0).filtered());
    }

    @Test
    void unsolicitedPacketsTowardAFilteredPeerAreDroppedUnlessAToPeerRuleAllowsThem() throws Exception {
        filterA(fromPeer(tcpTo("ssh", true, "10.0.1.5/32", 22)));
        aReaches(tcp(A, 40000, "10.0.1.5", 22)); // the session

        pair.tunB.inject(udp("10.0.1.7", 5000, A, 53));
        pair.tunB.inject(tcp("10.0.1.5", 22, A, 40001)); // not the port of the open flow
        Await.until("B dropped both", () -> pair.b.drops(DropReason.POLICY_DENIED) == 2);
        assertNothingArrived(pair.tunA);
        assertEquals(Map.of(PeerFilter.DEFAULT_DENY, 2L), aAtB().deniedByRule());

        filterA(new PeerFilter(
                List.of(List.of(tcpTo("ssh", true, "10.0.1.5/32", 22))),
                List.of(List.of(new FlowRule("peer-dns", true, Cidr.parse(A + "/32"), 17, 53, 53)))));
        reachesA(udp("10.0.1.7", 5000, A, 53));
        aReaches(udp(A, 53, "10.0.1.7", 5000)); // A's answer: the flow's reply
        reachesA(tcp("10.0.1.5", 22, A, 40000)); // and the flow A opened before goes on
    }

    @Test
    void replacingTheFilterClosesAFlowThatIsNoLongerAllowedAndOpensANewOne() throws Exception {
        filterA(fromPeer(tcpTo("ssh", true, "10.0.1.5/32", 22), tcpTo("web", true, "10.0.1.6/32", 443)));
        aReaches(tcp(A, 40000, "10.0.1.5", 22));
        aReaches(tcp(A, 40001, "10.0.1.6", 443));
        assertEquals(2, aAtB().openFlows());

        filterA(fromPeer(
                tcpTo("no-ssh", false, "10.0.1.5/32", 22),
                new FlowRule("web", true, Cidr.parse("10.0.1.0/24"), 6, 443, 443)));
        pair.tunB.inject(tcp("10.0.1.5", 22, A, 40000)); // the ssh server's next packet
        Await.until("B dropped the closed flow's reply", () -> pair.b.drops(DropReason.POLICY_DENIED) == 1);
        pair.tunA.inject(tcp(A, 40000, "10.0.1.5", 22));
        aReaches(tcp(A, 40001, "10.0.1.6", 443)); // still allowed
        aReaches(tcp(A, 40002, "10.0.1.7", 443)); // newly allowed
        assertNothingArrived(pair.tunB);
        reachesA(tcp("10.0.1.6", 443, A, 40001));

        PeerSnapshot s = aAtB();
        assertEquals(2, pair.b.drops(DropReason.POLICY_DENIED));
        assertEquals(Map.of("no-ssh", 2L), s.deniedByRule());
        assertEquals(2, s.openFlows());
    }

    @Test
    void removingTheFilterLetsThePeerReachEverythingItsAllowedIpsAllow() throws Exception {
        filterA(fromPeer());
        pair.tunA.inject(tcp(A, 40000, "10.0.1.5", 22));
        Await.until("B denied it", () -> pair.b.drops(DropReason.POLICY_DENIED) == 1);
        assertEquals(Map.of(PeerFilter.DEFAULT_DENY, 1L), aAtB().deniedByRule());

        filterA(null);
        aReaches(tcp(A, 40000, "10.0.1.5", 22));
        reachesA(udp("10.0.1.9", 53, A, 5353));
        PeerSnapshot s = aAtB();
        assertFalse(s.filtered());
        assertEquals(0, s.openFlows());
        assertEquals(Map.of(), s.deniedByRule());
    }

    @Test
    void aFlowClosesWhenIdleForItsTimeoutOnTheDeviceClock() throws Exception {
        filterA(fromPeer(new FlowRule("ping", true, Cidr.parse("10.0.1.0/24"), 1, 0, 0)));
        aReaches(echo(A, "10.0.1.9", false, 7));
        reachesA(echo("10.0.1.9", A, true, 7));
        clock.advance(Duration.ofSeconds(29));
        reachesA(echo("10.0.1.9", A, true, 7));
        clock.advance(Duration.ofSeconds(30));
        pair.tunB.inject(echo("10.0.1.9", A, true, 7));
        Await.until("B dropped the late reply", () -> pair.b.drops(DropReason.POLICY_DENIED) == 1);
        assertNothingArrived(pair.tunA);
        assertEquals(0, aAtB().openFlows());
    }
}
