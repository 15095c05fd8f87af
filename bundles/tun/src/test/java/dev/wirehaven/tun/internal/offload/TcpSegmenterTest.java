package dev.wirehaven.tun.internal.offload;

import static dev.wirehaven.tun.internal.offload.TcpPackets.get16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpSegmenterTest {

    private final TcpSegmenter segmenter = new TcpSegmenter();

    private static VirtioNetHeader gso(int type, int size, int hdrLen) {
        VirtioNetHeader h = new VirtioNetHeader();
        h.flags = VirtioNetHeader.F_NEEDS_CSUM;
        h.gsoType = type;
        h.gsoSize = size;
        h.hdrLen = hdrLen;
        return h;
    }

    private List<byte[]> split(byte[] superPacket, VirtioNetHeader h) {
        assertTrue(segmenter.start(superPacket, superPacket.length, h), "refused " + h);
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2000];
        while (segmenter.hasNext()) {
            int n = segmenter.next(superPacket, buf, 3);
            out.add(Arrays.copyOfRange(buf, 3, 3 + n));
        }
        return out;
    }

    // ---- IPv4 ----

    @Test
    void ipv4SuperPacketBecomesSegmentsOfGsoSizeWithTheirOwnHeadersAndChecksums() {
        TcpPackets spec = TcpPackets.ipv4().payload(3 * 1000 + 456, 1);
        spec.flags = TcpHeader.ACK | TcpHeader.PSH;
        spec.identification = 0xfffe; // wraps around
        byte[] superPacket = spec.buildPartial();

        List<byte[]> segments = split(superPacket, gso(VirtioNetHeader.GSO_TCPV4, 1000, spec.headerLength()));

        assertEquals(4, segments.size());
        int[] ids = {0xfffe, 0xffff, 0, 1};
        for (int i = 0; i < 4; i++) {
            byte[] s = segments.get(i);
            int payload = i < 3 ? 1000 : 456;
            assertEquals(spec.headerLength() + payload, s.length);
            assertEquals(s.length, get16(s, Ipv4Header.TOTAL_LENGTH), "total length");
            assertEquals(ids[i], get16(s, Ipv4Header.IDENTIFICATION), "identification");
            assertTrue(TcpPackets.ipv4HeaderChecksumValid(s), "IPv4 header checksum of segment " + i);
            assertTrue(TcpPackets.tcpChecksumValid(s), "TCP checksum of segment " + i);
            assertEquals(spec.sequence + 1000L * i, TcpPackets.tcpSequence(s));
            assertArrayEquals(Arrays.copyOfRange(spec.payload, 1000 * i, 1000 * i + payload), TcpPackets.tcpPayload(s));
            assertArrayEquals(
                    TcpPackets.TIMESTAMPS, Arrays.copyOfRange(s, 40, 52), "the timestamp option is on every segment");
            assertEquals(i == 3 ? TcpHeader.ACK | TcpHeader.PSH : TcpHeader.ACK, TcpPackets.tcpFlags(s));
        }
        assertFalse(segmenter.hasNext());
    }

    @Test
    void finAndPshGoOnlyOnTheLastSegmentAndCwrOnlyOnTheFirst() {
        TcpPackets spec = TcpPackets.ipv4().payload(2500, 2);
        spec.flags = TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN | TcpHeader.CWR | TcpHeader.ECE;
        List<byte[]> segments = split(
                spec.buildPartial(),
                gso(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 1000, spec.headerLength()));

        assertEquals(3, segments.size());
        assertEquals(TcpHeader.ACK | TcpHeader.CWR | TcpHeader.ECE, TcpPackets.tcpFlags(segments.get(0)));
        assertEquals(TcpHeader.ACK | TcpHeader.ECE, TcpPackets.tcpFlags(segments.get(1)));
        assertEquals(
                TcpHeader.ACK | TcpHeader.ECE | TcpHeader.PSH | TcpHeader.FIN, TcpPackets.tcpFlags(segments.get(2)));
        segments.forEach(s -> assertTrue(TcpPackets.tcpChecksumValid(s)));
    }

    @Test
    void ipv4OptionsAreKeptOnEverySegmentAndHdrLenIsNotTrusted() {
        TcpPackets spec = TcpPackets.ipv4().payload(2100, 3);
        spec.ipv4Options = new byte[] {1, 1, 1, 0}; // NOP NOP NOP EOL
        byte[] superPacket = spec.buildPartial();
        List<byte[]> segments = split(superPacket, gso(VirtioNetHeader.GSO_TCPV4, 1000, 40 /* wrong */));

        assertEquals(3, segments.size());
        for (byte[] s : segments) {
            assertEquals(0x46, s[0] & 0xff);
            assertArrayEquals(spec.ipv4Options, Arrays.copyOfRange(s, 20, 24));
            assertTrue(TcpPackets.ipv4HeaderChecksumValid(s));
            assertTrue(TcpPackets.tcpChecksumValid(s));
        }
        assertEquals(100, TcpPackets.tcpPayload(segments.get(2)).length);
    }

    @Test
    void superPacketThatFitsOneSegmentComesOutWhole() {
        TcpPackets spec = TcpPackets.ipv4().payload(700, 4);
        List<byte[]> segments = split(spec.buildPartial(), gso(VirtioNetHeader.GSO_TCPV4, 1000, spec.headerLength()));

        assertEquals(1, segments.size());
        assertArrayEquals(spec.build(), segments.get(0));
    }

    // ---- IPv6 ----

    @Test
    void ipv6SuperPacketBecomesSegmentsWithTheirPayloadLength() {
        TcpPackets spec = TcpPackets.ipv6().payload(5 * 1200 + 1, 5);
        spec.sequence = 0xffff_fc00L; // the sequence number wraps around during the split
        List<byte[]> segments = split(spec.buildPartial(), gso(VirtioNetHeader.GSO_TCPV6, 1200, spec.headerLength()));

        assertEquals(6, segments.size());
        for (int i = 0; i < 6; i++) {
            byte[] s = segments.get(i);
            assertEquals(s.length - 40, get16(s, Ipv6Header.PAYLOAD_LENGTH));
            assertTrue(TcpPackets.tcpChecksumValid(s), "TCP checksum of segment " + i);
            assertEquals((spec.sequence + 1200L * i) & 0xffffffffL, TcpPackets.tcpSequence(s));
        }
        assertEquals(1, TcpPackets.tcpPayload(segments.get(5)).length);
    }

    // ---- malformed: refused, nothing handed out ----

    @Test
    void gsoTypeThatDoesNotMatchTheIpVersionIsRefused() {
        TcpPackets spec = TcpPackets.ipv4().payload(3000, 6);
        assertFalse(segmenter.start(
                spec.buildPartial(), spec.headerLength() + 3000, gso(VirtioNetHeader.GSO_TCPV6, 1000, 0)));
        TcpPackets v6 = TcpPackets.ipv6().payload(3000, 6);
        assertFalse(
                segmenter.start(v6.buildPartial(), v6.headerLength() + 3000, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        assertFalse(segmenter.hasNext());
    }

    @Test
    void udpAndUnknownGsoTypesAreRefused() {
        TcpPackets spec = TcpPackets.ipv4().payload(3000, 6);
        byte[] p = spec.buildPartial();
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_UDP, 1000, 0)));
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_UDP_L4, 1000, 0)));
        assertFalse(segmenter.start(p, p.length, gso(42, 1000, 0)));
    }

    @Test
    void zeroGsoSizeIsRefused() {
        byte[] p = TcpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_TCPV4, 0, 0)));
    }

    @Test
    void ipTotalLengthBeyondWhatWasReadIsRefused() {
        byte[] p = TcpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(p, p.length - 1, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        byte[] v6 = TcpPackets.ipv6().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(v6, v6.length - 1, gso(VirtioNetHeader.GSO_TCPV6, 1000, 0)));
    }

    @Test
    void tcpDataOffsetPastThePacketOrBelowFiveIsRefused() {
        TcpPackets spec = TcpPackets.ipv4();
        spec.payload = new byte[0];
        byte[] p = spec.payload(4, 0).buildPartial(); // 20 + 32 + 4 bytes
        p[20 + 12] = (byte) 0xf0; // 60-byte TCP header in 36 bytes
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        p[20 + 12] = (byte) 0x40; // 16 bytes
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
    }

    @Test
    void ipv4HeaderLengthBelowTwentyOrAFragmentIsRefused() {
        byte[] p = TcpPackets.ipv4().payload(3000, 6).buildPartial();
        byte[] shortIhl = p.clone();
        shortIhl[0] = 0x44;
        assertFalse(segmenter.start(shortIhl, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        byte[] fragment = p.clone();
        fragment[6] = 0x20; // MF
        assertFalse(segmenter.start(fragment, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
    }

    @Test
    void notTcpOrIpv6ExtensionHeaderIsRefused() {
        byte[] p = TcpPackets.ipv4().payload(3000, 6).buildPartial();
        p[Ipv4Header.PROTOCOL] = 17;
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        byte[] v6 = TcpPackets.ipv6().payload(3000, 6).buildPartial();
        v6[Ipv6Header.NEXT_HEADER] = 0; // hop-by-hop options
        assertFalse(segmenter.start(v6, v6.length, gso(VirtioNetHeader.GSO_TCPV6, 1000, 0)));
    }

    @Test
    void headerWithoutPayloadOrTooShortAReadIsRefused() {
        TcpPackets spec = TcpPackets.ipv4();
        byte[] p = spec.buildPartial();
        assertFalse(segmenter.start(p, p.length, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
        assertFalse(segmenter.start(new byte[10], 10, gso(VirtioNetHeader.GSO_TCPV4, 1000, 0)));
    }
}
