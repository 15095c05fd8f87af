package dev.wirehaven.tun.internal.offload;

import static dev.wirehaven.tun.internal.offload.CoalescedWrites.assertWrittenAsIs;
import static dev.wirehaven.tun.internal.offload.CoalescedWrites.header;
import static dev.wirehaven.tun.internal.offload.CoalescedWrites.packet;
import static dev.wirehaven.tun.internal.offload.TcpPackets.get16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {

    private final OffloadCounters counters = new OffloadCounters();
    private final TcpCoalescer coalescer = new TcpCoalescer(128, 192 * 1024, counters);

    /** What the tests that drive the batch's output themselves saw written. */
    private final List<byte[]> written = new ArrayList<>();

    private List<byte[]> flush(List<byte[]> packets) throws IOException {
        return CoalescedWrites.flush(coalescer, packets);
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        List<byte[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Checks a super-packet against the segments it was made of. */
    private static void assertMerged(List<byte[]> segments, byte[] out, boolean ipv6) {
        VirtioNetHeader h = header(out);
        byte[] p = packet(out);
        byte[] first = segments.get(0);
        int ihl = TcpPackets.ipHeaderLength(first);
        int headers = ihl + TcpPackets.tcpHeaderLength(first);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, h.flags);
        assertEquals(ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, h.gsoType);
        assertEquals(headers, h.hdrLen);
        assertEquals(TcpPackets.tcpPayload(first).length, h.gsoSize);
        assertEquals(ihl, h.csumStart);
        assertEquals(TcpHeader.CHECKSUM, h.csumOffset);
        if (ipv6) {
            assertEquals(p.length - 40, get16(p, Ipv6Header.PAYLOAD_LENGTH));
        } else {
            assertEquals(p.length, get16(p, Ipv4Header.TOTAL_LENGTH));
            assertTrue(TcpPackets.ipv4HeaderChecksumValid(p));
        }
        assertEquals(TcpPackets.foldedPseudoHeader(p), get16(p, ihl + TcpHeader.CHECKSUM), "pseudo-header sum");
        assertEquals(TcpPackets.tcpSequence(first), TcpPackets.tcpSequence(p));
        assertArrayEquals(
                TcpPackets.concat(segments.stream().map(TcpPackets::tcpPayload).toList()), TcpPackets.tcpPayload(p));
    }

    // ---- merging ----

    @Test
    void consecutiveIpv4SegmentsOfAFlowBecomeOneSuperPacket() throws IOException {
        List<byte[]> segments = TcpPackets.ipv4().segments(4, 1000, 1000);

        List<byte[]> out = flush(segments);

        assertEquals(1, out.size());
        assertMerged(segments, out.get(0), false);
        assertEquals(TcpHeader.ACK, TcpPackets.tcpFlags(packet(out.get(0))));
        assertEquals(1, counters.coalescedWrites());
        assertEquals(4, counters.segmentsCoalesced());
    }

    @Test
    void consecutiveIpv6SegmentsOfAFlowBecomeOneSuperPacket() throws IOException {
        List<byte[]> segments = TcpPackets.ipv6().segments(3, 1200, 700);

        List<byte[]> out = flush(segments);

        assertEquals(1, out.size());
        assertMerged(segments, out.get(0), true);
    }

    @Test
    void pshOnTheLastSegmentIsKeptAndEndsTheGroup() throws IOException {
        TcpPackets spec = TcpPackets.ipv4();
        List<byte[]> segments = spec.segments(4, 1000, 1000);
        byte[] pushed = segments.get(1);
        pushed[20 + 13] = TcpHeader.ACK | TcpHeader.PSH;
        TcpPackets.put16(pushed, 20 + 16, 0);
        TcpPackets.put16(pushed, 20 + 16, TcpPackets.tcpChecksum(pushed));

        List<byte[]> out = flush(segments);

        assertEquals(2, out.size());
        assertMerged(segments.subList(0, 2), out.get(0), false);
        assertEquals(TcpHeader.ACK | TcpHeader.PSH, TcpPackets.tcpFlags(packet(out.get(0))));
        assertMerged(segments.subList(2, 4), out.get(1), false);
    }

    @Test
    void shorterSegmentIsTheLastOfItsGroup() throws IOException {
        List<byte[]> first = TcpPackets.ipv4().segments(3, 1000, 500);
        TcpPackets next = TcpPackets.ipv4();
        next.sequence = TcpPackets.ipv4().sequence + 2500;
        next.identification = 103;
        List<byte[]> second = next.segments(2, 1000, 1000);

        List<byte[]> out = flush(concat(first, second));

        assertEquals(2, out.size());
        assertMerged(first, out.get(0), false);
        assertMerged(second, out.get(1), false);
    }

    @Test
    void largerSegmentInTheMiddleStartsANewGroup() throws IOException {
        List<byte[]> small = TcpPackets.ipv4().segments(1, 1000, 1000);
        TcpPackets next = TcpPackets.ipv4();
        next.sequence += 1000;
        List<byte[]> large = next.segments(2, 1200, 1200);

        List<byte[]> out = flush(concat(small, large));

        assertEquals(2, out.size());
        assertWrittenAsIs(small.get(0), out.get(0));
        assertMerged(large, out.get(1), false);
    }

    @Test
    void groupStaysWithinSixtyFourKibibytes() throws IOException {
        List<byte[]> segments = TcpPackets.ipv4().segments(50, 1400, 1400);

        List<byte[]> out = flush(segments);

        assertEquals(2, out.size());
        assertTrue(packet(out.get(0)).length <= 65535);
        int firstCount = (65535 - 52) / 1400;
        assertMerged(segments.subList(0, firstCount), out.get(0), false);
        assertMerged(segments.subList(firstCount, 50), out.get(1), false);
    }

    @Test
    void interleavedFlowsEachCoalesceInTheOrderTheyStarted() throws IOException {
        List<byte[]> a = TcpPackets.ipv4().segments(2, 1000, 1000);
        TcpPackets other = TcpPackets.ipv4();
        other.sourcePort = 40001;
        List<byte[]> b = other.segments(2, 1000, 1000);

        List<byte[]> out = flush(List.of(a.get(0), b.get(0), a.get(1), b.get(1)));

        assertEquals(2, out.size());
        assertMerged(a, out.get(0), false);
        assertMerged(b, out.get(1), false);
    }

    // ---- refusals ----

    @Test
    void sequenceGapIsNotBridged() throws IOException {
        List<byte[]> first = TcpPackets.ipv4().segments(1, 1000, 1000);
        TcpPackets after = TcpPackets.ipv4();
        after.sequence += 2000; // 1000 bytes missing
        List<byte[]> second = after.segments(1, 1000, 1000);

        List<byte[]> out = flush(concat(first, second));

        assertEquals(2, out.size());
        assertWrittenAsIs(first.get(0), out.get(0));
        assertWrittenAsIs(second.get(0), out.get(1));
    }

    @Test
    void differentFlowsAreNotMerged() throws IOException {
        TcpPackets spec = TcpPackets.ipv4();
        TcpPackets otherPort = spec.copy();
        otherPort.destinationPort = 5202;
        otherPort.sequence += 1000;
        TcpPackets v6 = TcpPackets.ipv6();
        v6.sequence += 2000;
        List<byte[]> packets = List.of(
                spec.copy().payload(1000, 0).build(),
                otherPort.payload(1000, 1).build(),
                v6.payload(1000, 2).build());

        List<byte[]> out = flush(packets);

        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertWrittenAsIs(packets.get(i), out.get(i));
        }
    }

    @Test
    void synFinRstUrgEceAndCwrSegmentsGoAloneAndNothingOvertakesThem() throws IOException {
        int[] refused = {TcpHeader.SYN, TcpHeader.FIN, TcpHeader.RST, TcpHeader.URG, TcpHeader.ECE, TcpHeader.CWR};
        for (int flag : refused) {
            TcpPackets spec = TcpPackets.ipv4();
            List<byte[]> s = spec.segments(4, 1000, 1000);
            byte[] odd = s.get(2);
            odd[20 + 13] = (byte) (TcpHeader.ACK | flag);
            TcpPackets.put16(odd, 20 + 16, 0);
            TcpPackets.put16(odd, 20 + 16, TcpPackets.tcpChecksum(odd));

            List<byte[]> out = flush(s);

            assertEquals(3, out.size(), "flag " + flag);
            assertMerged(s.subList(0, 2), out.get(0), false);
            assertWrittenAsIs(odd, out.get(1));
            assertWrittenAsIs(s.get(3), out.get(2));
        }
    }

    @Test
    void differentIpv4OptionsTtlTosOrDontFragmentAreNotMerged() throws IOException {
        TcpPackets base = TcpPackets.ipv4();
        base.ipv4Options = new byte[] {1, 1, 1, 0};
        TcpPackets[] variants = new TcpPackets[4];
        for (int i = 0; i < 4; i++) {
            variants[i] = base.copy();
            variants[i].sequence += 1000;
            variants[i].identification++;
        }
        variants[0].ipv4Options = new byte[] {1, 1, 0, 0};
        variants[1].ttl = 63;
        variants[2].tos = 2;
        variants[3].dontFragment = false;
        for (TcpPackets v : variants) {
            byte[] first = base.copy().payload(1000, 0).build();
            byte[] second = v.payload(1000, 1).build();

            List<byte[]> out = flush(List.of(first, second));

            assertEquals(2, out.size());
            assertWrittenAsIs(first, out.get(0));
            assertWrittenAsIs(second, out.get(1));
        }
    }

    @Test
    void differentAckWindowOrTimestampAreNotMerged() throws IOException {
        TcpPackets base = TcpPackets.ipv4();
        TcpPackets[] variants = new TcpPackets[3];
        for (int i = 0; i < 3; i++) {
            variants[i] = base.copy();
            variants[i].sequence += 1000;
        }
        variants[0].acknowledgment++;
        variants[1].window++;
        variants[2].tcpOptions = new byte[] {1, 1, 8, 10, 0, 0, 0x12, 0x35, 0, 0, 0x56, 0x78};
        for (TcpPackets v : variants) {
            List<byte[]> out = flush(List.of(
                    base.copy().payload(1000, 0).build(), v.payload(1000, 1).build()));
            assertEquals(2, out.size());
        }
    }

    @Test
    void equalIpv4OptionsAreMergedAndKept() throws IOException {
        TcpPackets spec = TcpPackets.ipv4();
        spec.ipv4Options = new byte[] {1, 1, 1, 0};
        List<byte[]> segments = spec.segments(3, 1000, 1000);

        List<byte[]> out = flush(segments);

        assertEquals(1, out.size());
        assertMerged(segments, out.get(0), false);
        assertArrayEquals(spec.ipv4Options, Arrays.copyOfRange(packet(out.get(0)), 20, 24));
    }

    @Test
    void pureAcksUdpAndNonsenseGoOutAsTheyAreWithAZeroHeader() throws IOException {
        byte[] ack = TcpPackets.ipv4().build();
        byte[] ack2 = TcpPackets.ipv4().build();
        byte[] udp = TcpPackets.ipv4().payload(100, 1).build();
        udp[Ipv4Header.PROTOCOL] = 17;
        byte[] nonsense = {0x45, 1, 2};
        List<byte[]> packets = List.of(ack, ack2, udp, nonsense);

        List<byte[]> out = flush(packets);

        assertEquals(4, out.size());
        for (int i = 0; i < 4; i++) {
            assertWrittenAsIs(packets.get(i), out.get(i));
        }
        assertEquals(0, counters.coalescedWrites());
    }

    @Test
    void segmentsWithABadIpv4HeaderChecksumAreNotMerged() throws IOException {
        List<byte[]> segments = TcpPackets.ipv4().segments(2, 1000, 1000);
        segments.get(1)[Ipv4Header.HEADER_CHECKSUM] ^= 1;

        List<byte[]> out = flush(segments);

        assertEquals(2, out.size());
        assertWrittenAsIs(segments.get(1), out.get(1));
    }

    // ---- the kernel says no ----

    @Test
    void refusedSuperPacketIsWrittenAgainAsItsSegments() throws IOException {
        List<byte[]> segments = TcpPackets.ipv4().segments(3, 1000, 1000);
        for (byte[] p : segments) {
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
            assertWrittenAsIs(segments.get(i), written.get(i));
        }
        assertEquals(1, counters.coalescedWritesRefused());
        assertEquals(0, counters.coalescedWrites());
    }

    @Test
    void refusedSinglePacketIsCountedReportedAndTheRestStillWritten() throws IOException {
        byte[] bad = {0x10, 0, 0, 0};
        byte[] good = TcpPackets.ipv4().payload(10, 0).build();
        coalescer.add(bad, 0, bad.length);
        coalescer.add(good, 0, good.length);

        IOException e = assertThrows(
                IOException.class,
                () -> coalescer.flush((b, off, len) -> {
                    if ((b[off + VirtioNetHeader.SIZE] & 0xf0) == 0x10) {
                        return false;
                    }
                    written.add(Arrays.copyOfRange(b, off, off + len));
                    return true;
                }));

        assertTrue(e.getMessage().contains("1 packets"), e.getMessage());
        assertEquals(1, written.size());
        assertWrittenAsIs(good, written.get(0));
        assertEquals(1, counters.packetsRefused());
        assertTrue(coalescer.isEmpty());
    }

    // ---- the batch ----

    @Test
    void fullBatchAsksForAFlush() {
        TcpCoalescer small = new TcpCoalescer(2, VirtioNetHeader.SIZE + 65535, counters);
        byte[] p = TcpPackets.ipv4().payload(100, 0).build();
        assertTrue(small.add(p, 0, p.length));
        assertTrue(small.add(p, 0, p.length));
        assertFalse(small.add(p, 0, p.length), "the third packet");
        TcpCoalescer tight = new TcpCoalescer(100, VirtioNetHeader.SIZE + 65535, counters);
        byte[] big = new byte[60000];
        assertTrue(tight.add(big, 0, big.length));
        assertFalse(tight.add(big, 0, big.length), "no room for the bytes");
    }

    // ---- round trip ----

    @Test
    void coalesceThenSplitGivesBackTheSamePackets() throws IOException {
        for (TcpPackets spec : List.of(TcpPackets.ipv4(), TcpPackets.ipv6())) {
            spec.sequence = 0xffff_f000L;
            spec.identification = 0xfffe;
            List<byte[]> segments = spec.segments(7, 1388, 333);
            byte[] last = segments.get(6);
            int ihl = TcpPackets.ipHeaderLength(last);
            last[ihl + 13] = TcpHeader.ACK | TcpHeader.PSH;
            TcpPackets.put16(last, ihl + 16, 0);
            TcpPackets.put16(last, ihl + 16, TcpPackets.tcpChecksum(last));

            List<byte[]> out = flush(segments);
            assertEquals(1, out.size());
            byte[] superPacket = packet(out.get(0));
            TcpSegmenter segmenter = new TcpSegmenter();
            assertTrue(segmenter.start(superPacket, superPacket.length, header(out.get(0))));
            List<byte[]> back = new ArrayList<>();
            byte[] buf = new byte[1500];
            while (segmenter.hasNext()) {
                back.add(Arrays.copyOf(buf, segmenter.next(superPacket, buf, 0)));
            }

            assertEquals(segments.size(), back.size());
            for (int i = 0; i < segments.size(); i++) {
                assertArrayEquals(segments.get(i), back.get(i), (spec.ipv6 ? "IPv6" : "IPv4") + " segment " + i);
            }
        }
    }
}
