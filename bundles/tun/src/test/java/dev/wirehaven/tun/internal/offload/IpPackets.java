package dev.wirehaven.tun.internal.offload;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The IP side of the offload tests' hand-built packets, which {@link TcpPackets} and {@link UdpPackets}
 * fill in with their transport header: the fields a test sets, the IPv4 or IPv6 header, and checks
 * written the slow way (a plain 16-bit loop, independent of {@link Checksums}).
 */
abstract class IpPackets {

    static final byte[] V4_SOURCE = {10, 7, 0, 1};
    static final byte[] V4_DESTINATION = {10, 7, 0, 2};
    static final byte[] V6_SOURCE = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] V6_DESTINATION = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    boolean ipv6;
    int sourcePort = 40000;
    int destinationPort;
    byte[] ipv4Options = new byte[0];
    int identification = 100;
    int ttl = 64;
    int tos = 0;
    int flowLabel = 0x12345;
    boolean dontFragment;
    byte[] payload = new byte[0];

    IpPackets(int destinationPort, boolean dontFragment) {
        this.destinationPort = destinationPort;
        this.dontFragment = dontFragment;
    }

    /** Copies the fields of this class into {@code p}, for a subclass's {@code copy()}. */
    final <P extends IpPackets> P withIpFieldsOf(P p) {
        p.ipv6 = ipv6;
        p.sourcePort = sourcePort;
        p.destinationPort = destinationPort;
        p.ipv4Options = ipv4Options;
        p.identification = identification;
        p.ttl = ttl;
        p.tos = tos;
        p.flowLabel = flowLabel;
        p.dontFragment = dontFragment;
        p.payload = payload;
        return p;
    }

    /** Fills {@link #payload} with {@code length} bytes that differ by {@code seed} (and by builder, through the factors). */
    final void fillPayload(int length, int seed, int factor, int seedFactor) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * factor + seed * seedFactor + (i >> 8));
        }
    }

    int ipHeaderLength() {
        return ipv6 ? 40 : 20 + ipv4Options.length;
    }

    /** Puts the IP header of a packet of {@code total} bytes carrying {@code protocol}, its checksum 0. */
    final void putIpHeader(ByteBuffer b, int total, int protocol) {
        if (ipv6) {
            b.putInt((6 << 28) | (tos << 20) | flowLabel)
                    .putShort((short) (total - 40))
                    .put((byte) protocol)
                    .put((byte) ttl)
                    .put(V6_SOURCE)
                    .put(V6_DESTINATION);
        } else {
            b.put((byte) (0x40 | (ipHeaderLength() / 4)))
                    .put((byte) tos)
                    .putShort((short) total)
                    .putShort((short) identification)
                    .putShort((short) (dontFragment ? 0x4000 : 0))
                    .put((byte) ttl)
                    .put((byte) protocol)
                    .putShort((short) 0)
                    .put(V4_SOURCE)
                    .put(V4_DESTINATION)
                    .put(ipv4Options);
        }
    }

    /** Writes the IPv4 header checksum of a laid-out packet (IPv6 has none). */
    final void sealIpHeader(byte[] p) {
        if (!ipv6) {
            put16(p, 10, reference(p, 0, ipHeaderLength(), 0));
        }
    }

    // ---- independent checks ----

    static boolean isIpv6(byte[] p) {
        return (p[0] & 0xf0) == 0x60;
    }

    static int ipHeaderLength(byte[] p) {
        return isIpv6(p) ? 40 : (p[0] & 0x0f) * 4;
    }

    static boolean ipv4HeaderChecksumValid(byte[] p) {
        return reference(p, 0, ipHeaderLength(p), 0) == 0;
    }

    /** The sum of the pseudo-header (addresses, protocol, transport length) before folding. */
    static long pseudoSum(byte[] p, int protocol, int transportLength) {
        boolean v6 = isIpv6(p);
        int at = v6 ? 8 : 12;
        int n = v6 ? 32 : 8;
        long sum = protocol + transportLength;
        for (int i = 0; i < n; i += 2) {
            sum += get16(p, at + i);
        }
        return sum;
    }

    /** The pseudo-header sum folded to 16 bits, not inverted: what a CHECKSUM_PARTIAL field holds. */
    static int foldedPseudoHeader(byte[] p, int protocol) {
        long sum = pseudoSum(p, protocol, p.length - ipHeaderLength(p));
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** RFC 1071 the slow way: 16-bit words, carries folded at the end. */
    static int reference(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += get16(b, off + i);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int get16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static long get32(byte[] b, int at) {
        return ((long) get16(b, at) << 16) | get16(b, at + 2);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
