package dev.wirehaven.tun.internal.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over byte arrays, and the TCP/UDP pseudo-headers of RFC 9293
 * 3.1 (IPv4) and RFC 8200 8.1 (IPv6).
 *
 * <p>Sums are kept unfolded in a {@code long} and added 32 bits at a time: the one's-complement sum
 * does not depend on the word size as long as the carries are folded back at the end, and a 64 KiB
 * packet adds at most 2^14 words of under 2^32, far from overflowing.
 */
public final class Checksums {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksums() {}

    /** Adds the big-endian 16-bit words of {@code b[off, off + len)} to {@code sum}; an odd last byte is padded with zero. */
    public static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i + 4 <= end) {
            sum += (int) INT.get(b, i) & 0xffffffffL;
            i += 4;
        }
        if (i + 2 <= end) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries of an unfolded sum into 16 bits (not complemented). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The Internet checksum of {@code b[off, off + len)}: the complement of the folded sum. */
    public static int checksum(byte[] b, int off, int len) {
        return ~fold(add(0, b, off, len)) & 0xffff;
    }

    /**
     * The unfolded pseudo-header sum: source and destination address ({@code addressLength} bytes
     * each, the destination right after the source at {@code sourceAt}), the protocol and the
     * transport length. The layout differs between IPv4 and IPv6 but the sum does not.
     */
    public static long pseudoHeader(byte[] b, int sourceAt, int addressLength, int protocol, int transportLength) {
        return add(protocol + (long) transportLength, b, sourceAt, 2 * addressLength);
    }

    /**
     * Completes a partial checksum as the kernel hands it out with VIRTIO_NET_HDR_F_NEEDS_CSUM: the
     * field at {@code csumStart + csumOffset} holds the folded pseudo-header sum; the checksum is the
     * complement of the sum from {@code csumStart} to the end, that field included.
     *
     * @return false when the offsets do not lie inside the packet (nothing is changed then)
     */
    public static boolean completePartial(byte[] b, int off, int len, int csumStart, int csumOffset) {
        if (csumStart < 0 || csumOffset < 0 || (long) csumStart + csumOffset + 2 > len) {
            return false;
        }
        int sum = ~fold(add(0, b, off + csumStart, len - csumStart)) & 0xffff;
        Bytes.putShort(b, off + csumStart + csumOffset, sum);
        return true;
    }
}
