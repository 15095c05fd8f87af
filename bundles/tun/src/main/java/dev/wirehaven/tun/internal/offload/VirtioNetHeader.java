package dev.wirehaven.tun.internal.offload;

/**
 * {@code struct virtio_net_hdr} (linux/virtio_net.h), the 10 bytes that a TUN opened with
 * IFF_VNET_HDR puts before every packet in both directions:
 *
 * <pre>
 *   u8 flags; u8 gso_type; u16 hdr_len; u16 gso_size; u16 csum_start; u16 csum_offset;
 * </pre>
 *
 * The 16-bit fields are in the host's byte order for a legacy (non-VERSION_1) header, i.e.
 * little-endian on the platforms the driver supports (x86-64, aarch64).
 *
 * <p>It lives here rather than beside the JNA code because both offload directions read and write
 * it, and this package must not depend on the native one. Mutable: one instance per reader or
 * writer, filled again for every packet.
 */
public final class VirtioNetHeader {

    public static final int SIZE = 10;

    public static final int FLAGS = 0;
    public static final int GSO_TYPE = 1;
    public static final int HDR_LEN = 2;
    public static final int GSO_SIZE = 4;
    public static final int CSUM_START = 6;
    public static final int CSUM_OFFSET = 8;

    /** The checksum at csum_start + csum_offset is partial (the pseudo-header sum) and must be completed. */
    public static final int F_NEEDS_CSUM = 1;
    /** The checksum was verified. */
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    /** Or-ed into gso_type: the TCP segments carry ECN (CWR on the first one only). */
    public static final int GSO_ECN = 0x80;

    int flags;
    int gsoType;
    int hdrLen;
    int gsoSize;
    int csumStart;
    int csumOffset;

    /** Sets every field; returns this header. */
    public VirtioNetHeader set(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags;
        this.gsoType = gsoType;
        this.hdrLen = hdrLen;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
        return this;
    }

    public int flags() {
        return flags;
    }

    public int gsoType() {
        return gsoType;
    }

    public int hdrLen() {
        return hdrLen;
    }

    public int gsoSize() {
        return gsoSize;
    }

    public int csumStart() {
        return csumStart;
    }

    public int csumOffset() {
        return csumOffset;
    }

    public void decode(byte[] b, int off) {
        flags = b[off + FLAGS] & 0xff;
        gsoType = b[off + GSO_TYPE] & 0xff;
        hdrLen = le16(b, off + HDR_LEN);
        gsoSize = le16(b, off + GSO_SIZE);
        csumStart = le16(b, off + CSUM_START);
        csumOffset = le16(b, off + CSUM_OFFSET);
    }

    public void encode(byte[] b, int off) {
        b[off + FLAGS] = (byte) flags;
        b[off + GSO_TYPE] = (byte) gsoType;
        putLe16(b, off + HDR_LEN, hdrLen);
        putLe16(b, off + GSO_SIZE, gsoSize);
        putLe16(b, off + CSUM_START, csumStart);
        putLe16(b, off + CSUM_OFFSET, csumOffset);
    }

    /** Writes the header of a packet that needs nothing: flags 0, GSO_NONE. */
    public static void encodeNone(byte[] b, int off) {
        java.util.Arrays.fill(b, off, off + SIZE, (byte) 0);
    }

    @Override
    public String toString() {
        return "virtio_net_hdr[flags " + flags + ", gso_type " + gsoType + ", hdr_len " + hdrLen + ", gso_size "
                + gsoSize + ", csum_start " + csumStart + ", csum_offset " + csumOffset + "]";
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
    }

    private static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}
