package dev.wirehaven.tun.internal.offload;

/** Field offsets of the IPv4 header, RFC 791 3.1, named as there. */
public final class Ipv4Header {

    public static final int VERSION = 4;
    /** Version (high nibble) and IHL, the header length in 32-bit words (low nibble). */
    public static final int VERSION_IHL = 0;

    public static final int TYPE_OF_SERVICE = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    /** Flags (3 bits: reserved, DF, MF) and the 13-bit fragment offset. */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;

    public static final int TIME_TO_LIVE = 8;
    public static final int PROTOCOL = 9;
    public static final int HEADER_CHECKSUM = 10;
    public static final int SOURCE_ADDRESS = 12;
    public static final int DESTINATION_ADDRESS = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int ADDRESS_LENGTH = 4;
    /** MF and the fragment offset: any of them set means a fragment. */
    public static final int MORE_FRAGMENTS_AND_OFFSET = 0x3fff;

    private Ipv4Header() {}

    /** The header length in bytes (IHL x 4). */
    public static int headerLength(byte[] b, int off) {
        return (b[off + VERSION_IHL] & 0x0f) * 4;
    }

    /** Recomputes the header checksum over {@code headerLength} bytes. */
    public static void updateHeaderChecksum(byte[] b, int off, int headerLength) {
        Bytes.putShort(b, off + HEADER_CHECKSUM, 0);
        Bytes.putShort(b, off + HEADER_CHECKSUM, Checksums.checksum(b, off, headerLength));
    }
}
