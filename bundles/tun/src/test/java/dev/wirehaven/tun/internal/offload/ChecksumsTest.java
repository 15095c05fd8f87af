package dev.wirehaven.tun.internal.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void agreesWithTheSixteenBitReferenceOnEveryLengthAndOffset() {
        Random random = new Random(7);
        for (int len = 0; len < 300; len++) {
            byte[] b = new byte[len + 5];
            random.nextBytes(b);
            for (int off = 0; off < 4; off++) {
                assertEquals(
                        TcpPackets.reference(b, off, len, 0),
                        Checksums.checksum(b, off, len),
                        "len " + len + " off " + off);
            }
        }
    }

    @Test
    void allOnesDataFoldsCarriesCompletely() {
        byte[] b = new byte[65536];
        java.util.Arrays.fill(b, (byte) 0xff);
        assertEquals(TcpPackets.reference(b, 0, b.length, 0), Checksums.checksum(b, 0, b.length));
    }

    @Test
    void needsCsumCompletionGivesThePacketItsFullTcpChecksum() {
        TcpPackets spec = TcpPackets.ipv4().payload(1001, 9); // odd length
        byte[] complete = spec.build();
        byte[] partial = spec.buildPartial();
        int ihl = spec.ipHeaderLength();

        assertTrue(Checksums.completePartial(partial, 0, partial.length, ihl, TcpHeader.CHECKSUM));

        assertArrayEquals(complete, partial);
    }

    @Test
    void needsCsumCompletionWorksAtAnOffsetAndForIpv6() {
        TcpPackets spec = TcpPackets.ipv6().payload(77, 3);
        byte[] partial = spec.buildPartial();
        byte[] buf = new byte[partial.length + 9];
        System.arraycopy(partial, 0, buf, 9, partial.length);

        assertTrue(Checksums.completePartial(buf, 9, partial.length, 40, TcpHeader.CHECKSUM));

        assertArrayEquals(spec.build(), java.util.Arrays.copyOfRange(buf, 9, buf.length));
    }

    @Test
    void checksumOffsetsOutsideThePacketAreRefusedAndChangeNothing() {
        byte[] p = TcpPackets.ipv4().payload(10, 1).buildPartial();
        byte[] before = p.clone();
        assertFalse(Checksums.completePartial(p, 0, p.length, p.length - 1, 0));
        assertFalse(Checksums.completePartial(p, 0, p.length, 20, p.length));
        assertFalse(Checksums.completePartial(p, 0, p.length, 65535, 65535));
        assertArrayEquals(before, p);
    }
}
