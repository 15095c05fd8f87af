package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.echo;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.fragment4;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.tcp;
import static dev.wirehaven.wireguard.internal.testing.FlowPackets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlowTableTest {

    private static final long T0 = 1_000_000_000_000L;

    private static PacketFlow flow(byte[] packet) {
        PacketFlow f = new PacketFlow();
        assertTrue(f.parse(packet, 0, packet.length));
        return f;
    }

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void anOpenedFlowIsFoundForwardAndItsRepliesBackward() {
        FlowTable t = new FlowTable(16, 1);
        PacketFlow out = flow(tcp("10.0.0.1", 40000, "10.0.1.5", 22));
        assertEquals(-1, t.find(out, false, T0));
        int slot = t.insert(out, false, true, 0, T0);
        assertTrue(slot >= 0);
        assertEquals(slot, t.find(out, false, T0));
        assertFalse(out.reverse);
        assertTrue(t.openedByPeer(slot));

        PacketFlow back = flow(tcp("10.0.1.5", 22, "10.0.0.1", 40000));
        assertEquals(slot, t.find(back, false, T0));
        assertTrue(back.reverse);
        assertEquals(1, t.size());
    }

    @Test
    void anotherPortAddressOrProtocolIsAnotherFlow() {
        FlowTable t = new FlowTable(16, 1);
        t.insert(flow(tcp("10.0.0.1", 40000, "10.0.1.5", 22)), false, true, 0, T0);
        assertEquals(-1, t.find(flow(tcp("10.0.0.1", 40001, "10.0.1.5", 22)), false, T0));
        assertEquals(-1, t.find(flow(tcp("10.0.0.1", 40000, "10.0.1.6", 22)), false, T0));
        assertEquals(-1, t.find(flow(udp("10.0.0.1", 40000, "10.0.1.5", 22)), false, T0));
        assertEquals(-1, t.find(flow(tcp("10.0.1.5", 40000, "10.0.0.1", 22)), false, T0), "ports not swapped");
        assertEquals(-1, t.find(flow(tcp("fd00::1", 40000, "fd00:1::5", 22)), false, T0));
    }

    @Test
    void anEchoReplyMatchesItsRequestButARequestTheOtherWayDoesNot() {
        FlowTable t = new FlowTable(16, 1);
        t.insert(flow(echo("10.0.0.1", "10.0.1.5", false, 7)), false, true, 0, T0);
        PacketFlow reply = flow(echo("10.0.1.5", "10.0.0.1", true, 7));
        assertTrue(t.find(reply, false, T0) >= 0);
        assertTrue(reply.reverse);
        assertEquals(-1, t.find(flow(echo("10.0.1.5", "10.0.0.1", false, 7)), false, T0));
        assertEquals(-1, t.find(flow(echo("10.0.1.5", "10.0.0.1", true, 8)), false, T0));
    }

    @Test
    void idleFlowsExpireAfterTheTimeoutOfTheirProtocol() {
        FlowTable t = new FlowTable(16, 1);
        PacketFlow udp = flow(udp("10.0.0.1", 1000, "10.0.1.5", 53));
        PacketFlow icmp = flow(echo("10.0.0.1", "10.0.1.5", false, 1));
        PacketFlow answered = flow(tcp("10.0.0.1", 1000, "10.0.1.5", 443));
        PacketFlow unanswered = flow(tcp("10.0.0.1", 1001, "10.0.1.5", 443));
        t.insert(udp, false, true, 0, T0);
        t.insert(icmp, false, true, 0, T0);
        t.insert(unanswered, false, true, 0, T0);
        t.touch(t.insert(answered, false, true, 0, T0), true, T0);

        assertTrue(t.find(icmp, false, T0 + seconds(29)) >= 0);
        assertEquals(-1, t.find(icmp, false, T0 + seconds(30)), "ICMP after 30 s");
        assertTrue(t.find(unanswered, false, T0 + seconds(119)) >= 0);
        assertEquals(-1, t.find(unanswered, false, T0 + seconds(120)), "unanswered TCP after 2 min");
        assertTrue(t.find(udp, false, T0 + seconds(179)) >= 0);
        assertEquals(-1, t.find(udp, false, T0 + seconds(180)), "UDP after 3 min");
        assertTrue(t.find(answered, false, T0 + seconds(899)) >= 0);
        assertEquals(-1, t.find(answered, false, T0 + seconds(900)), "answered TCP after 15 min");
        assertEquals(0, t.size(), "a lookup removes what expired");
    }

    @Test
    void aPacketResetsTheIdleTime() {
        FlowTable t = new FlowTable(16, 1);
        PacketFlow udp = flow(udp("10.0.0.1", 1000, "10.0.1.5", 53));
        t.insert(udp, false, true, 0, T0);
        t.touch(t.find(udp, false, T0 + seconds(170)), false, T0 + seconds(170));
        assertTrue(t.find(udp, false, T0 + seconds(340)) >= 0);
    }

    @Test
    void removeExpiredRemovesOnlyWhatExpired() {
        FlowTable t = new FlowTable(64, 1);
        for (int i = 0; i < 40; i++) {
            t.insert(flow(udp("10.0.0.1", 1000 + i, "10.0.1.5", 53)), false, true, 0, T0 + seconds(i));
        }
        assertEquals(10, t.removeExpired(T0 + seconds(189)), "those from before second 10");
        assertEquals(30, t.size());
        for (int i = 10; i < 40; i++) {
            assertTrue(t.find(flow(udp("10.0.0.1", 1000 + i, "10.0.1.5", 53)), false, T0 + seconds(189)) >= 0);
        }
    }

    @Test
    void theTableStartsSmallAndGrowsToItsBound() {
        FlowTable t = new FlowTable(4096, 1);
        assertEquals(FlowTable.INITIAL_SLOTS, t.slots());
        for (int i = 0; i < 4096; i++) {
            assertTrue(t.insert(flow(udp("10.0.0.1", 1 + i, "10.0.1.5", 53)), false, true, 0, T0) >= 0);
        }
        assertEquals(8192, t.slots(), "4096 flows at a load of at most 3/4");
        assertEquals(4096, t.size());
    }

    @Test
    void aFullTableMakesRoomFromExpiredFlowsFirst() {
        FlowTable t = new FlowTable(4, 1);
        long[] opened = {0, 100, 150, 160};
        for (int i = 0; i < 4; i++) {
            int slot = t.insert(flow(udp("10.0.0.1", 1 + i, "10.0.1.5", 53)), false, true, 0, T0 + seconds(opened[i]));
            t.touch(slot, true, T0 + seconds(opened[i])); // answered: never evicted before they expire
        }
        long now = T0 + seconds(190); // only the first is 3 minutes idle
        assertTrue(t.insert(flow(udp("10.0.0.1", 99, "10.0.1.5", 53)), false, true, 0, now) >= 0);
        assertEquals(-1, t.find(flow(udp("10.0.0.1", 1, "10.0.1.5", 53)), false, now));
        assertTrue(t.find(flow(udp("10.0.0.1", 2, "10.0.1.5", 53)), false, now) >= 0);
    }

    @Test
    void aFullTableEvictsTheFlowLongestWithoutAnswer() {
        FlowTable t = new FlowTable(4, 1);
        t.touch(t.insert(flow(udp("10.0.0.1", 1, "10.0.1.5", 53)), false, true, 0, T0), true, T0);
        t.insert(flow(udp("10.0.0.1", 2, "10.0.1.5", 53)), false, true, 0, T0 + 1);
        t.insert(flow(udp("10.0.0.1", 3, "10.0.1.5", 53)), false, true, 0, T0 + 2);
        t.touch(t.insert(flow(udp("10.0.0.1", 4, "10.0.1.5", 53)), false, true, 0, T0 + 3), true, T0 + 3);

        assertTrue(t.insert(flow(udp("10.0.0.1", 5, "10.0.1.5", 53)), false, true, 0, T0 + 4) >= 0);
        assertEquals(-1, t.find(flow(udp("10.0.0.1", 2, "10.0.1.5", 53)), false, T0 + 4), "evicted");
        assertTrue(t.find(flow(udp("10.0.0.1", 1, "10.0.1.5", 53)), false, T0 + 4) >= 0, "answered: kept");
        assertTrue(t.find(flow(udp("10.0.0.1", 3, "10.0.1.5", 53)), false, T0 + 4) >= 0);
        assertEquals(4, t.size());
    }

    @Test
    void aTableFullOfAnsweredFlowsRefusesANewOne() {
        FlowTable t = new FlowTable(2, 1);
        t.touch(t.insert(flow(udp("10.0.0.1", 1, "10.0.1.5", 53)), false, true, 0, T0), true, T0);
        t.touch(t.insert(flow(udp("10.0.0.1", 2, "10.0.1.5", 53)), false, true, 0, T0), true, T0);
        assertEquals(-1, t.insert(flow(udp("10.0.0.1", 3, "10.0.1.5", 53)), false, true, 0, T0 + 1));
        assertEquals(2, t.size());
    }

    @Test
    void laterFragmentsAreFoundInTheirOwnDirectionOnly() {
        FlowTable t = new FlowTable(16, 1);
        byte[] packet = udp("10.0.0.1", 1, "10.0.1.5", 53);
        t.insert(flow(fragment4(packet, 77, 0, true)), true, true, 0, T0);
        assertTrue(t.find(flow(fragment4(packet, 77, 10, false)), true, T0) >= 0);
        assertEquals(-1, t.find(flow(fragment4(packet, 78, 10, false)), true, T0));
        assertEquals(-1, t.find(flow(fragment4(udp("10.0.1.5", 53, "10.0.0.1", 1), 77, 10, false)), true, T0));
        assertEquals(-1, t.find(flow(fragment4(packet, 77, 10, false)), true, T0 + seconds(60)), "60 s at most");
    }

    @Test
    void insertsLookupsAndRemovalsAgreeWithAMap() {
        Random r = new Random(7);
        FlowTable t = new FlowTable(300, r.nextLong());
        Map<Integer, Integer> model = new HashMap<>(); // source port -> generation
        for (int step = 0; step < 50_000; step++) {
            int port = 1 + r.nextInt(400);
            PacketFlow f = flow(udp("10.0.0.1", port, "10.0.1.5", 53));
            int slot = t.find(f, false, T0);
            assertEquals(model.containsKey(port), slot >= 0, "step " + step);
            if (slot >= 0) {
                assertEquals(model.get(port).intValue(), t.generation(slot));
                if (r.nextInt(3) == 0) {
                    t.remove(slot);
                    model.remove(port);
                }
            } else if (model.size() < 300) {
                assertTrue(t.insert(f, false, true, step, T0) >= 0);
                model.put(port, step);
            }
            assertEquals(model.size(), t.size());
        }
    }
}
