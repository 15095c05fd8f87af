package dev.wirehaven.wireguard.internal.filter;

import static dev.wirehaven.wireguard.internal.testing.FlowPackets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketFlowTest {

    private final PacketFlow f = new PacketFlow();

    private boolean parse(byte[] p) {
        return f.parse(p, 0, p.length);
    }

    @Test
    void tcpOverIpv4GivesProtocolAddressesAndPorts() {
        assertTrue(parse(tcp("10.0.0.1", 40000, "10.0.1.5", 22)));
        assertEquals(PacketFlow.WHOLE, f.kind);
        assertFalse(f.v6);
        assertEquals(TCP, f.protocol);
        assertEquals(0x0a000001L << 32, f.srcHi);
        assertEquals(0x0a000105L << 32, f.dstHi);
        assertEquals(0, f.srcLo);
        assertEquals(40000, f.srcPort);
        assertEquals(22, f.dstPort);
        assertTrue(f.hasPorts);
    }

    @Test
    void udpOverIpv6GivesBothHalvesOfTheAddresses() {
        assertTrue(parse(udp("fd00::1", 5353, "fd00:1::53", 53)));
        assertTrue(f.v6);
        assertEquals(UDP, f.protocol);
        assertEquals(0xfd00000000000000L, f.srcHi);
        assertEquals(1L, f.srcLo);
        assertEquals(0xfd00000100000000L, f.dstHi);
        assertEquals(0x53L, f.dstLo);
        assertEquals(53, f.dstPort);
    }

    @Test
    void anIpv4PacketIsReadUpToItsTotalLengthNotItsPadding() {
        byte[] p = Arrays.copyOf(tcp("10.0.0.1", 1, "10.0.0.2", 2), 100);
        assertTrue(f.parse(p, 0, p.length));
        assertEquals(2, f.dstPort);
    }

    @Test
    void echoRequestsAndRepliesPairUpByTheirIdentifier() {
        assertTrue(parse(echo("10.0.0.1", "10.0.1.5", false, 0x1234)));
        assertEquals(ICMP, f.protocol);
        assertEquals(0x1234, f.srcPort);
        assertEquals(0, f.dstPort);
        assertFalse(f.hasPorts, "an identifier is no port for the rules");
        assertTrue(parse(echo("fd00:1::5", "fd00::1", true, 0x1234)));
        assertEquals(ICMPV6, f.protocol);
        assertEquals(0, f.srcPort);
        assertEquals(0x1234, f.dstPort);
    }

    @Test
    void anIcmpErrorDescribesThePacketItReports() {
        byte[] sent = udp("10.0.0.1", 40000, "10.0.1.5", 53);
        assertTrue(parse(icmpError("10.0.1.254", "10.0.0.1", 3, sent)));
        assertEquals(PacketFlow.ICMP_ERROR, f.kind);
        assertEquals(UDP, f.protocol);
        assertEquals(0x0a000001L << 32, f.srcHi);
        assertEquals(0x0a000105L << 32, f.dstHi);
        assertEquals(40000, f.srcPort);
        assertEquals(53, f.dstPort);

        byte[] sent6 = tcp("fd00::1", 40000, "fd00:1::5", 443);
        assertTrue(parse(icmpError("fd00:1::fe", "fd00::1", 2, sent6)), "packet too big");
        assertEquals(PacketFlow.ICMP_ERROR, f.kind);
        assertEquals(TCP, f.protocol);
        assertEquals(443, f.dstPort);
    }

    @Test
    void anIcmpErrorAboutAPacketThatItsRecipientDidNotSendIsRefused() {
        byte[] someoneElses = udp("10.0.0.9", 40000, "10.0.1.5", 53);
        assertFalse(parse(icmpError("10.0.1.254", "10.0.0.1", 3, someoneElses)));
        assertFalse(parse(icmpError("10.0.1.254", "10.0.0.1", 11, new byte[] {0x45, 0, 0})), "unreadable");
    }

    @Test
    void ipv4FragmentsCarryTheirDatagramsIdentification() {
        byte[] whole = udp("10.0.0.1", 40000, "10.0.1.5", 53);
        assertTrue(parse(fragment4(whole, 0xbeef, 0, true)));
        assertEquals(PacketFlow.FIRST_FRAGMENT, f.kind);
        assertEquals(0xbeef, f.fragmentId);
        assertEquals(53, f.dstPort, "the first fragment has the ports");

        assertTrue(parse(fragment4(whole, 0xbeef, 185, false)));
        assertEquals(PacketFlow.LATER_FRAGMENT, f.kind);
        assertEquals(0xbeef, f.fragmentId);
        assertEquals(UDP, f.protocol);
        assertFalse(f.hasPorts, "what follows the header of a later fragment is data, not ports");
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedToTheUpperLayer() {
        byte[] udp = upper(udp("fd00::1", 40000, "fd00:1::5", 53));
        byte[] chain = optionsHeader(DESTINATION_OPTIONS, 0, optionsHeader(UDP, 1, udp));
        assertTrue(parse(ip("fd00::1", "fd00:1::5", HOP_BY_HOP, chain)));
        assertEquals(UDP, f.protocol);
        assertEquals(53, f.dstPort);
        assertTrue(f.hasPorts);
    }

    @Test
    void ipv6FragmentHeadersMarkFirstAndLaterFragments() {
        byte[] udp = upper(udp("fd00::1", 40000, "fd00:1::5", 53));
        assertTrue(parse(ip("fd00::1", "fd00:1::5", FRAGMENT, fragmentHeader(UDP, 0, true, 0xcafe0001, udp))));
        assertEquals(PacketFlow.FIRST_FRAGMENT, f.kind);
        assertEquals(0xcafe0001, f.fragmentId);
        assertEquals(53, f.dstPort);

        assertTrue(parse(ip("fd00::1", "fd00:1::5", FRAGMENT, fragmentHeader(UDP, 100, false, 0xcafe0001, udp))));
        assertEquals(PacketFlow.LATER_FRAGMENT, f.kind);
        assertEquals(UDP, f.protocol);
        assertFalse(f.hasPorts);

        assertTrue(parse(ip("fd00::1", "fd00:1::5", FRAGMENT, fragmentHeader(UDP, 0, false, 7, udp))));
        assertEquals(PacketFlow.WHOLE, f.kind, "an atomic fragment (RFC 6946) is a whole packet");
    }

    @Test
    void anUnknownNextHeaderIsTheProtocolWithoutPorts() {
        assertTrue(parse(ip("fd00::1", "fd00:1::5", 50, new byte[] {0, 0, 0, 1, 0, 0, 0, 1}))); // ESP
        assertEquals(50, f.protocol);
        assertFalse(f.hasPorts);
    }

    @Test
    void aChainLongerThanTheLimitIsJudgedByTheNextHeaderAtTheLimit() {
        byte[] chain = upper(udp("fd00::1", 1, "fd00::2", 2));
        for (int i = 0; i <= PacketFlow.MAX_EXTENSION_HEADERS; i++) {
            chain = optionsHeader(i == 0 ? UDP : DESTINATION_OPTIONS, 0, chain);
        }
        assertTrue(parse(ip("fd00::1", "fd00::2", DESTINATION_OPTIONS, chain)));
        assertEquals(DESTINATION_OPTIONS, f.protocol);
        assertFalse(f.hasPorts);
    }

    @Test
    void aChainAtTheLimitStillReachesThePorts() {
        byte[] chain = upper(udp("fd00::1", 1, "fd00::2", 2));
        for (int i = 0; i < PacketFlow.MAX_EXTENSION_HEADERS; i++) {
            chain = optionsHeader(i == 0 ? UDP : DESTINATION_OPTIONS, 0, chain);
        }
        assertTrue(parse(ip("fd00::1", "fd00::2", DESTINATION_OPTIONS, chain)));
        assertEquals(UDP, f.protocol);
        assertEquals(2, f.dstPort);
    }

    @Test
    void anExtensionHeaderThatRunsPastThePacketIsRefused() {
        byte[] chain = optionsHeader(UDP, 0, new byte[0]);
        chain[1] = 9; // claims 80 bytes
        assertFalse(parse(ip("fd00::1", "fd00::2", HOP_BY_HOP, chain)));
    }

    @Test
    void aTransportHeaderTooShortForPortsLeavesThePacketWithoutPorts() {
        assertTrue(parse(ip("10.0.0.1", "10.0.0.2", TCP, new byte[] {0, 22})));
        assertEquals(TCP, f.protocol);
        assertFalse(f.hasPorts);
        assertEquals(0, f.dstPort);
    }

    @Test
    void truncatedCorruptedAndRandomPacketsNeverThrow() {
        List<byte[]> samples = List.of(
                tcp("10.0.0.1", 1, "10.0.0.2", 2),
                echo("fd00::1", "fd00::2", false, 9),
                icmpError("10.0.1.254", "10.0.0.1", 3, udp("10.0.0.1", 1, "10.0.1.5", 53)),
                icmpError("fd00::fe", "fd00::1", 1, tcp("fd00::1", 1, "fd00::5", 80)),
                ip(
                        "fd00::1",
                        "fd00::2",
                        HOP_BY_HOP,
                        optionsHeader(FRAGMENT, 0, fragmentHeader(UDP, 0, true, 1, new byte[8]))));
        Random r = new Random(42);
        for (byte[] sample : samples) {
            for (int len = 0; len <= sample.length; len++) {
                f.parse(sample, 0, len); // every truncation
            }
            for (int i = 0; i < sample.length; i++) {
                for (int v : new int[] {0, 0xff, 0x45, 0x60, 44, 58}) {
                    byte[] p = sample.clone();
                    p[i] = (byte) v;
                    f.parse(p, 0, p.length); // every byte replaced
                }
            }
        }
        for (int i = 0; i < 100_000; i++) {
            byte[] p = new byte[r.nextInt(120)];
            r.nextBytes(p);
            if (p.length > 0) {
                p[0] = (byte) (r.nextBoolean() ? 0x45 + r.nextInt(11) : 0x60);
            }
            f.parse(p, 0, p.length);
            f.parse(p, r.nextInt(p.length + 1), r.nextInt(130)); // also lengths past the end
        }
        assertFalse(f.parse(new byte[10], -1, 5));
        assertFalse(f.parse(new byte[10], 8, 5));
        assertFalse(f.parse(new byte[0], 0, 0));
    }
}
