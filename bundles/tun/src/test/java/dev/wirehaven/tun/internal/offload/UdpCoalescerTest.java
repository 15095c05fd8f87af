package dev.wirehaven.tun.internal.offload;

import static dev.wirehaven.tun.internal.offload.CoalescedWrites.assertWrittenAsIs;
import static dev.wirehaven.tun.internal.offload.CoalescedWrites.header;
import static dev.wirehaven.tun.internal.offload.CoalescedWrites.packet;
import static dev.wirehaven.tun.internal.offload.TcpPackets.get16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.tun.internal.offload.OffloadCounters.Protocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UDP merging of a write batch (a {@link TcpCoalescer} made for a kernel that took USO). */
class UdpCoalescerTest {

    private final OffloadCounters counters = new OffloadCounters();
    private final TcpCoalescer coalescer = new TcpCoalescer(128, 192 * 1024, counters, true);

    /** What the tests that drive the batch's output themselves saw written. */
    private final List<byte[]> written = new ArrayList<>();

    private List<byte[]> flush(List<byte[]> packets) throws IOException {
        return CoalescedWrites.flush(coalescer, packets);
    }

    @SafeVarargs
    private static List<byte[]> concat(List<byte[]>... parts) {
        List<byte[]> all = new ArrayList<>();
        for (List<byte[]> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    /** Checks a UDP super-packet against the datagrams it was made of. */
    private static void assertMerged(List<byte[]> datagrams, byte[] out) {
        VirtioNetHeader h = header(out);
        byte[] p = packet(out);
        byte[] first = datagrams.get(0);
        int ihl = TcpPackets.ipHeaderLength(first);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, h.flags);
        assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoType);
        assertEquals(ihl + 8, h.hdrLen);
        assertEquals(UdpPackets.udpPayload(first).length, h.gsoSize);
        assertEquals(ihl, h.csumStart);
        assertEquals(UdpHeader.CHECKSUM, h.csumOffset);
        if (TcpPackets.isIpv6(p)) {
            assertEquals(p.length - 40, get16(p, Ipv6Header.PAYLOAD_LENGTH));
        } else {
            assertEquals(p.length, get16(p, Ipv4Header.TOTAL_LENGTH));
            assertTrue(TcpPackets.ipv4HeaderChecksumValid(p));
        }
        assertEquals(p.length - ihl, UdpPackets.udpLength(p), "UDP length of the whole");
        assertEquals(UdpPackets.foldedPseudoHeader(p), get16(p, ihl + UdpHeader.CHECKSUM), "pseudo-header sum");
        int addresses = ihl == 40 ? Ipv6Header.SOURCE_ADDRESS : Ipv4Header.SOURCE_ADDRESS;
        assertArrayEquals(
                Arrays.copyOfRange(first, addresses, ihl + 4),
                Arrays.copyOfRange(p, addresses, ihl + 4),
                "the first datagram's addresses, options and ports");
        if (ihl != 40) {
            assertArrayEquals(
                    Arrays.copyOfRange(first, Ipv4Header.IDENTIFICATION, Ipv4Header.HEADER_CHECKSUM),
                    Arrays.copyOfRange(p, Ipv4Header.IDENTIFICATION, Ipv4Header.HEADER_CHECKSUM),
                    "the first datagram's identification, flags, TTL and protocol");
        }
        assertArrayEquals(
                TcpPackets.concat(datagrams.stream().map(UdpPackets::udpPayload).toList()), UdpPackets.udpPayload(p));
    }

    // ---- merging ----

    @Test
    void consecutiveIpv4DatagramsOfAFlowBecomeOneSuperPacket() throws IOException {
        List<byte[]> datagrams = UdpPackets.ipv4().datagrams(4, 1200, 1200);

        List<byte[]> out = flush(datagrams);

        assertEquals(1, out.size());
        assertMerged(datagrams, out.get(0));
        assertEquals(1, counters.coalescedWrites(Protocol.UDP));
        assertEquals(4, counters.segmentsCoalesced(Protocol.UDP));
        assertEquals(0, counters.coalescedWrites(Protocol.TCP));
    }

    @Test
    void consecutiveIpv6DatagramsWithAShorterLastOneBecomeOneSuperPacket() throws IOException {
        List<byte[]> datagrams = UdpPackets.ipv6().datagrams(3, 1200, 17);

        List<byte[]> out = flush(datagrams);

        assertEquals(1, out.size());
        assertMerged(datagrams, out.get(0));
    }

    @Test
    void shorterDatagramIsTheLastOfItsGroup() throws IOException {
        List<byte[]> first = UdpPackets.ipv4().datagrams(3, 1000, 500);
        List<byte[]> second = UdpPackets.ipv4().datagrams(2, 1000, 1000);

        List<byte[]> out = flush(concat(first, second));

        assertEquals(2, out.size());
        assertMerged(first, out.get(0));
        assertMerged(second, out.get(1));
    }

    @Test
    void largerDatagramInTheMiddleStartsANewGroup() throws IOException {
        List<byte[]> small = UdpPackets.ipv4().datagrams(1, 1000, 1000);
        List<byte[]> large = UdpPackets.ipv4().datagrams(2, 1200, 1200);

        List<byte[]> out = flush(concat(small, large));

        assertEquals(2, out.size());
        assertWrittenAsIs(small.get(0), out.get(0));
        assertMerged(large, out.get(1));
    }

    @Test
    void groupStaysWithinSixtyFourKibibytes() throws IOException {
        List<byte[]> datagrams = UdpPackets.ipv4().datagrams(60, 1400, 1400);

        List<byte[]> out = flush(datagrams);

        assertEquals(2, out.size());
        assertTrue(packet(out.get(0)).length <= 65535);
        int firstCount = (65535 - 28) / 1400;
        assertMerged(datagrams.subList(0, firstCount), out.get(0));
        assertMerged(datagrams.subList(firstCount, 60), out.get(1));
    }

    @Test
    void interleavedFlowsAndTcpKeepTheOrderInWhichTheirGroupsStarted() throws IOException {
        List<byte[]> a = UdpPackets.ipv4().datagrams(2, 1000, 1000);
        UdpPackets other = UdpPackets.ipv4();
        other.sourcePort = 40001;
        List<byte[]> b = other.datagrams(2, 1000, 1000);
        List<byte[]> tcp = TcpPackets.ipv4().segments(2, 1000, 1000);

        List<byte[]> out = flush(List.of(a.get(0), tcp.get(0), b.get(0), a.get(1), tcp.get(1), b.get(1)));

        assertEquals(3, out.size());
        assertMerged(a, out.get(0));
        assertEquals(VirtioNetHeader.GSO_TCPV4, header(out.get(1)).gsoType);
        assertMerged(b, out.get(2));
        assertEquals(2, counters.coalescedWrites(Protocol.UDP));
        assertEquals(1, counters.coalescedWrites(Protocol.TCP));
    }

    @Test
    void coalesceThenSplitGivesBackTheSameDatagrams() throws IOException {
        for (UdpPackets spec : List.of(UdpPackets.ipv4(), UdpPackets.ipv6())) {
            spec.identification = 0xfffd;
            List<byte[]> datagrams = spec.datagrams(9, 1372, 101);

            List<byte[]> out = flush(datagrams);
            assertEquals(1, out.size());
            byte[] superPacket = packet(out.get(0));
            UdpSegmenter segmenter = new UdpSegmenter();
            assertTrue(segmenter.start(superPacket, superPacket.length, header(out.get(0))));
            List<byte[]> back = new ArrayList<>();
            byte[] buf = new byte[1500];
            while (segmenter.hasNext()) {
                back.add(Arrays.copyOf(buf, segmenter.next(superPacket, buf, 0)));
            }

            assertEquals(datagrams.size(), back.size());
            for (int i = 0; i < datagrams.size(); i++) {
                assertArrayEquals(datagrams.get(i), back.get(i), (spec.ipv6 ? "IPv6" : "IPv4") + " datagram " + i);
            }
        }
    }

    // ---- refusals ----

    @Test
    void differentFlowsAreNotMerged() throws IOException {
        UdpPackets spec = UdpPackets.ipv4();
        UdpPackets otherPort = spec.copy();
        otherPort.destinationPort = 51821;
        List<byte[]> packets = List.of(
                spec.copy().payload(1000, 0).build(),
                otherPort.payload(1000, 1).build(),
                UdpPackets.ipv6().payload(1000, 2).build());

        List<byte[]> out = flush(packets);

        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertWrittenAsIs(packets.get(i), out.get(i));
        }
    }

    @Test
    void differentIpv4OptionsTtlTosOrDontFragmentAreNotMerged() throws IOException {
        UdpPackets base = UdpPackets.ipv4();
        base.ipv4Options = new byte[] {1, 1, 1, 0};
        UdpPackets[] variants = new UdpPackets[4];
        for (int i = 0; i < 4; i++) {
            variants[i] = base.copy();
            variants[i].identification++;
        }
        variants[0].ipv4Options = new byte[] {1, 1, 0, 0};
        variants[1].ttl = 63;
        variants[2].tos = 2;
        variants[3].dontFragment = true;
        for (UdpPackets v : variants) {
            byte[] first = base.copy().payload(1000, 0).build();
            byte[] second = v.payload(1000, 1).build();

            List<byte[]> out = flush(List.of(first, second));

            assertEquals(2, out.size());
            assertWrittenAsIs(first, out.get(0));
            assertWrittenAsIs(second, out.get(1));
        }
    }

    @Test
    void differentIpv6FlowLabelOrHopLimitAreNotMerged() throws IOException {
        UdpPackets base = UdpPackets.ipv6();
        UdpPackets label = base.copy();
        label.flowLabel++;
        UdpPackets hops = base.copy();
        hops.ttl = 1;
        for (UdpPackets v : List.of(label, hops)) {
            List<byte[]> out = flush(List.of(
                    base.copy().payload(1000, 0).build(), v.payload(1000, 1).build()));

            assertEquals(2, out.size());
        }
    }

    @Test
    void emptyDatagramGoesAloneAndNothingOvertakesIt() throws IOException {
        List<byte[]> before = UdpPackets.ipv4().datagrams(2, 1000, 1000);
        byte[] empty = UdpPackets.ipv4().build();
        List<byte[]> after = UdpPackets.ipv4().datagrams(2, 1000, 1000);

        List<byte[]> out = flush(concat(before, List.of(empty), after));

        assertEquals(3, out.size());
        assertMerged(before, out.get(0));
        assertWrittenAsIs(empty, out.get(1));
        assertMerged(after, out.get(2));
    }

    @Test
    void udpLengthThatDisagreesWithTheIpLengthIsNotMerged() throws IOException {
        List<byte[]> datagrams = UdpPackets.ipv4().datagrams(3, 1000, 1000);
        byte[] odd = datagrams.get(1);
        TcpPackets.put16(odd, 20 + UdpHeader.LENGTH, 900);

        List<byte[]> out = flush(datagrams);

        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertWrittenAsIs(datagrams.get(i), out.get(i));
        }
    }

    @Test
    void fragmentsAndBadIpv4HeaderChecksumsAreNotMerged() throws IOException {
        List<byte[]> fragments = UdpPackets.ipv4().datagrams(2, 1000, 1000);
        for (byte[] f : fragments) {
            f[Ipv4Header.FLAGS_FRAGMENT_OFFSET] = 0x20; // MF
            Ipv4Header.updateHeaderChecksum(f, 0, 20);
        }
        assertEquals(2, flush(fragments).size());

        List<byte[]> broken = UdpPackets.ipv4().datagrams(2, 1000, 1000);
        broken.get(1)[Ipv4Header.HEADER_CHECKSUM] ^= 1;
        List<byte[]> out = flush(broken);
        assertEquals(2, out.size());
        assertWrittenAsIs(broken.get(1), out.get(1));
    }

    @Test
    void withoutUsoDatagramsGoOutOneByOneWithAZeroHeader() throws IOException {
        TcpCoalescer tsoOnly = new TcpCoalescer(128, 192 * 1024, counters);
        List<byte[]> datagrams = UdpPackets.ipv4().datagrams(3, 1000, 1000);

        List<byte[]> out = CoalescedWrites.flush(tsoOnly, datagrams);

        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertWrittenAsIs(datagrams.get(i), out.get(i));
        }
        assertEquals(0, counters.coalescedWrites());
    }

    // ---- the kernel says no ----

    @Test
    void refusedSuperPacketIsWrittenAgainAsItsDatagramsAndCounted() throws IOException {
        List<byte[]> datagrams = UdpPackets.ipv6().datagrams(3, 1000, 1000);
        for (byte[] p : datagrams) {
            coalescer.add(p, 0, p.length);
        }

        coalescer.flush((b, off, len) -> {
            if (b[off + VirtioNetHeader.GSO_TYPE] != VirtioNetHeader.GSO_NONE) {
                return false;
            }
            written.add(Arrays.copyOfRange(b, off, off + len));
            return true;
        });

        assertEquals(3, written.size());
        for (int i = 0; i < 3; i++) {
            assertWrittenAsIs(datagrams.get(i), written.get(i));
        }
        assertEquals(1, counters.coalescedWritesRefused(Protocol.UDP));
        assertEquals(0, counters.coalescedWritesRefused(Protocol.TCP));
        assertEquals(0, counters.coalescedWrites());
    }
}
