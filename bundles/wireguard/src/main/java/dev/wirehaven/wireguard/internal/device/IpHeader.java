package dev.wirehaven.wireguard.internal.device;

/**
 * The few fields of an inner packet's IP header that the device reads, under their RFC names: the
 * version, the length, and the source and destination addresses (cryptokey routing looks up the
 * destination on the send path and checks the source on the receive path, whitepaper §2). Offsets are
 * from the start of the IP header; multi-byte fields are big-endian (network byte order).
 */
final class IpHeader {

    private IpHeader() {}

    /** RFC 791 §3.1 and RFC 8200 §3: Version, the high 4 bits of the first byte of both headers. */
    static final int VERSION_OFFSET = 0;

    static final int IPV4 = 4;
    static final int IPV6 = 6;

    /** RFC 791 §3.1: the header without options (IHL 5); also the smallest Total Length. */
    static final int IPV4_HEADER_SIZE = 20;
    /** RFC 791 §3.1: Total Length, header and data in bytes (16 bits). */
    static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    /** RFC 791 §3.1: Source Address (32 bits). */
    static final int IPV4_SOURCE_ADDRESS_OFFSET = 12;
    /** RFC 791 §3.1: Destination Address (32 bits). */
    static final int IPV4_DESTINATION_ADDRESS_OFFSET = 16;

    /** RFC 8200 §3: the fixed header; Payload Length counts the bytes after it. */
    static final int IPV6_HEADER_SIZE = 40;
    /** RFC 8200 §3: Payload Length (16 bits). */
    static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    /** RFC 8200 §3: Source Address (128 bits). */
    static final int IPV6_SOURCE_ADDRESS_OFFSET = 8;
    /** RFC 8200 §3: Destination Address (128 bits). */
    static final int IPV6_DESTINATION_ADDRESS_OFFSET = 24;
    /** RFC 8200 §5: the smallest link MTU that IPv6 allows. */
    static final int IPV6_MINIMUM_MTU = 1280;

    /** Whether {@code b[off..off+len)} begins with a whole IPv4 header. */
    static boolean isIpv4(byte[] b, int off, int len) {
        return len >= IPV4_HEADER_SIZE && version(b, off) == IPV4;
    }

    /** Whether {@code b[off..off+len)} begins with a whole IPv6 fixed header. */
    static boolean isIpv6(byte[] b, int off, int len) {
        return len >= IPV6_HEADER_SIZE && version(b, off) == IPV6;
    }

    /**
     * The length of the packet at {@code b[off..off+len)} as its own header states it (a decrypted
     * packet is followed by padding, §5.4.6), or -1 if it is neither IPv4 nor IPv6, or its header is cut
     * short or claims more bytes than there are.
     */
    static int packetLength(byte[] b, int off, int len) {
        if (isIpv4(b, off, len)) {
            int total = u16(b, off + IPV4_TOTAL_LENGTH_OFFSET);
            return total < IPV4_HEADER_SIZE || total > len ? -1 : total;
        }
        if (isIpv6(b, off, len)) {
            int total = IPV6_HEADER_SIZE + u16(b, off + IPV6_PAYLOAD_LENGTH_OFFSET);
            return total > len ? -1 : total;
        }
        return -1;
    }

    private static int version(byte[] b, int off) {
        return (b[off + VERSION_OFFSET] & 0xff) >>> 4;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
