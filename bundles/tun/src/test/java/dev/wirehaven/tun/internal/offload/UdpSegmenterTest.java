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

class UdpSegmenterTest {

    private final UdpSegmenter segmenter = new UdpSegmenter();

    private static VirtioNetHeader uso(int size) {
        VirtioNetHeader h = new VirtioNetHeader();
        h.flags = VirtioNetHeader.F_NEEDS_CSUM;
        h.gsoType = VirtioNetHeader.GSO_UDP_L4;
        h.gsoSize = size;
        h.csumOffset = UdpHeader.CHECKSUM;
        return h;
    }

    private List<byte[]> split(byte[] superPacket, VirtioNetHeader h) {
        assertTrue(segmenter.start(superPacket, superPacket.length, h), "refused " + h);
        int segments = segmenter.segments();
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2000];
        while (segmenter.hasNext()) {
            int longest = segmenter.maxSegmentLength();
            int n = segmenter.next(superPacket, buf, 5);
            assertTrue(n <= longest, "no datagram is longer than announced");
            out.add(Arrays.copyOfRange(buf, 5, 5 + n));
        }
        assertEquals(segments, out.size(), "as many datagrams as announced");
        return out;
    }

    /** Checks each datagram's headers and checksums against the super-packet's payload slices. */
    private static void assertDatagrams(UdpPackets spec, List<byte[]> datagrams, int size) {
        int offset = 0;
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] d = datagrams.get(i);
            int payload = Math.min(size, spec.payload.length - offset);
            assertEquals(spec.headerLength() + payload, d.length, "length of datagram " + i);
            assertEquals(8 + payload, UdpPackets.udpLength(d), "UDP length of datagram " + i);
            if (spec.ipv6) {
                assertEquals(d.length - 40, get16(d, Ipv6Header.PAYLOAD_LENGTH), "IPv6 payload length");
            } else {
                assertEquals(d.length, get16(d, Ipv4Header.TOTAL_LENGTH), "total length");
                assertEquals((spec.identification + i) & 0xffff, get16(d, Ipv4Header.IDENTIFICATION), "identification");
                assertTrue(TcpPackets.ipv4HeaderChecksumValid(d), "IPv4 header checksum of datagram " + i);
            }
            assertTrue(UdpPackets.udpChecksumValid(d), "UDP checksum of datagram " + i);
            assertArrayEquals(
                    Arrays.copyOfRange(spec.payload, offset, offset + payload),
                    UdpPackets.udpPayload(d),
                    "payload of datagram " + i);
            offset += payload;
        }
        assertEquals(spec.payload.length, offset, "the whole payload and nothing more");
    }

    // ---- IPv4 ----

    @Test
    void ipv4SuperPacketBecomesDatagramsOfGsoSizeAndAShortLastOne() {
        UdpPackets spec = UdpPackets.ipv4().payload(3 * 1200 + 345, 1);
        spec.identification = 0xfffe; // wraps around

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1200));

        assertEquals(4, datagrams.size());
        assertDatagrams(spec, datagrams, 1200);
        assertEquals(0, get16(datagrams.get(2), Ipv4Header.IDENTIFICATION));
        assertEquals(345, UdpPackets.udpPayload(datagrams.get(3)).length);
        assertFalse(segmenter.hasNext());
    }

    @Test
    void payloadThatIsAnExactMultipleOfGsoSizeEndsWithAFullDatagram() {
        UdpPackets spec = UdpPackets.ipv4().payload(5 * 1000, 2);

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1000));

        assertEquals(5, datagrams.size());
        assertDatagrams(spec, datagrams, 1000);
        assertEquals(1000, UdpPackets.udpPayload(datagrams.get(4)).length);
    }

    @Test
    void eachDatagramIsWhatTheSenderWouldHaveSentOnItsOwn() {
        UdpPackets spec = UdpPackets.ipv4();
        spec.dontFragment = true;
        spec.ipv4Options = new byte[] {1, 1, 1, 0}; // NOP NOP NOP EOL, kept on every datagram
        List<byte[]> sent = spec.datagrams(3, 900, 17);
        spec.payload =
                TcpPackets.concat(sent.stream().map(UdpPackets::udpPayload).toList());

        List<byte[]> datagrams = split(spec.buildPartial(), uso(900));

        assertEquals(3, datagrams.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(sent.get(i), datagrams.get(i), "datagram " + i);
        }
    }

    @Test
    void superPacketThatFitsOneDatagramComesOutWhole() {
        UdpPackets spec = UdpPackets.ipv4().payload(700, 4);

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1000));

        assertEquals(1, datagrams.size());
        assertArrayEquals(spec.build(), datagrams.get(0));
    }

    @Test
    void checksumThatComputesToZeroIsSentAsAllOnes() {
        UdpPackets first = UdpPackets.ipv4().payload(1000, 1);
        UdpPackets second = UdpPackets.ipv4().payload(1000, 2);
        second.identification = first.identification + 1;
        // make the one's-complement sum of the second datagram 0xFFFF through its last two bytes
        byte[] payload = second.payload;
        payload[998] = 0;
        payload[999] = 0;
        int sum = ~UdpPackets.udpChecksum(second.build()) & 0xffff;
        int fill = 0xffff - sum;
        payload[998] = (byte) (fill >>> 8);
        payload[999] = (byte) fill;
        assertEquals(0, UdpPackets.udpChecksum(second.build()), "the test datagram computes to 0");
        UdpPackets spec = UdpPackets.ipv4();
        spec.payload = TcpPackets.concat(List.of(first.payload, payload));

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1000));

        byte[] d = datagrams.get(1);
        assertEquals(0xffff, get16(d, 20 + UdpHeader.CHECKSUM), "RFC 768: a computed 0 is transmitted as all ones");
        assertTrue(UdpPackets.udpChecksumValid(d));
        assertArrayEquals(second.build(), d);
    }

    // ---- IPv6 ----

    @Test
    void ipv6SuperPacketBecomesDatagramsWithTheirPayloadLength() {
        UdpPackets spec = UdpPackets.ipv6().payload(6 * 1200 + 1, 5);

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1200));

        assertEquals(7, datagrams.size());
        assertDatagrams(spec, datagrams, 1200);
        for (byte[] d : datagrams) {
            assertArrayEquals(Arrays.copyOf(spec.buildPartial(), 4), Arrays.copyOf(d, 4), "class and flow label kept");
        }
    }

    @Test
    void ipv6PayloadThatIsAnExactMultipleOfGsoSizeEndsWithAFullDatagram() {
        UdpPackets spec = UdpPackets.ipv6().payload(2 * 1280, 6);

        List<byte[]> datagrams = split(spec.buildPartial(), uso(1280));

        assertEquals(2, datagrams.size());
        assertDatagrams(spec, datagrams, 1280);
    }

    // ---- malformed: refused, nothing handed out ----

    @Test
    void tcpOrAnotherProtocolIsRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        p[Ipv4Header.PROTOCOL] = 6;
        assertFalse(segmenter.start(p, p.length, uso(1000)));
        byte[] tcp = TcpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(tcp, tcp.length, uso(1000)));
        assertFalse(segmenter.hasNext());
        assertEquals(0, segmenter.segments());
    }

    @Test
    void otherGsoTypesAreRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        for (int type : new int[] {VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.GSO_UDP, VirtioNetHeader.GSO_TCPV6, 42}) {
            VirtioNetHeader h = uso(1000);
            h.gsoType = type;
            assertFalse(segmenter.start(p, p.length, h), "gso_type " + type);
        }
    }

    @Test
    void zeroGsoSizeIsRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(p, p.length, uso(0)));
    }

    @Test
    void gsoSizeThatMakesADatagramLongerThanAnIpPacketIsRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(p, p.length, uso(65535 - 28 + 1)));
        assertTrue(segmenter.start(p, p.length, uso(65535 - 28)));
    }

    @Test
    void ipLengthBeyondWhatWasReadIsRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(p, p.length - 1, uso(1000)));
        byte[] v6 = UdpPackets.ipv6().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(v6, v6.length - 1, uso(1000)));
    }

    @Test
    void headersWithoutPayloadOrTooShortAReadAreRefused() {
        byte[] empty = UdpPackets.ipv4().buildPartial(); // 28 bytes, no payload
        assertFalse(segmenter.start(empty, empty.length, uso(1000)));
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        TcpPackets.put16(p, Ipv4Header.TOTAL_LENGTH, 24); // half a UDP header
        Ipv4Header.updateHeaderChecksum(p, 0, 20);
        assertFalse(segmenter.start(p, p.length, uso(1000)));
        assertFalse(segmenter.start(new byte[10], 10, uso(1000)));
        byte[] v6 = UdpPackets.ipv6().payload(3000, 6).buildPartial();
        assertFalse(segmenter.start(v6, 39, uso(1000)));
    }

    @Test
    void ipv4HeaderLengthBelowTwentyOrAFragmentIsRefused() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        byte[] shortIhl = p.clone();
        shortIhl[0] = 0x44;
        assertFalse(segmenter.start(shortIhl, p.length, uso(1000)));
        byte[] moreFragments = p.clone();
        moreFragments[6] = 0x20; // MF
        assertFalse(segmenter.start(moreFragments, p.length, uso(1000)));
        byte[] offset = p.clone();
        offset[7] = 1; // fragment offset 8
        assertFalse(segmenter.start(offset, p.length, uso(1000)));
    }

    @Test
    void ipv6ExtensionHeaderOrAnotherIpVersionIsRefused() {
        byte[] v6 = UdpPackets.ipv6().payload(3000, 6).buildPartial();
        v6[Ipv6Header.NEXT_HEADER] = 0; // hop-by-hop options
        assertFalse(segmenter.start(v6, v6.length, uso(1000)));
        v6[Ipv6Header.NEXT_HEADER] = 44; // fragment header
        assertFalse(segmenter.start(v6, v6.length, uso(1000)));
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        p[0] = 0x55;
        assertFalse(segmenter.start(p, p.length, uso(1000)));
    }

    @Test
    void clearDropsTheRemainingDatagrams() {
        byte[] p = UdpPackets.ipv4().payload(3000, 6).buildPartial();
        assertTrue(segmenter.start(p, p.length, uso(1000)));
        segmenter.next(p, new byte[2000], 0);

        segmenter.clear();

        assertFalse(segmenter.hasNext());
        assertEquals(0, segmenter.maxSegmentLength());
    }
}
