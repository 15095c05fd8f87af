package dev.wirehaven.tun.internal.offload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds TCP/IP packets by hand for the offload tests, and checks them with its own checksum code
 * (a plain 16-bit loop, independent of {@link Checksums}).
 */
final class TcpPackets {

    static final byte[] V4_SOURCE = {10, 7, 0, 1};
    static final byte[] V4_DESTINATION = {10, 7, 0, 2};
    static final byte[] V6_SOURCE = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] V6_DESTINATION = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    /** NOP, NOP, Timestamps (kind 8, length 10, TSval, TSecr): what Linux puts on every segment. */
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};

    boolean ipv6;
    int sourcePort = 40000;
    int destinationPort = 5201;
    long sequence = 1_000_000;
    long acknowledgment = 777;
    int flags = TcpHeader.ACK;
    int window = 501;
    byte[] tcpOptions = TIMESTAMPS;
    byte[] ipv4Options = new byte[0];
    int identification = 100;
    int ttl = 64;
    int tos = 0;
    int flowLabel = 0x12345;
    boolean dontFragment = true;
    byte[] payload = new byte[0];

    static TcpPackets ipv4() {
        return new TcpPackets();
    }

    static TcpPackets ipv6() {
        TcpPackets p = new TcpPackets();
        p.ipv6 = true;
        return p;
    }

    TcpPackets copy() {
        TcpPackets p = new TcpPackets();
        p.ipv6 = ipv6;
        p.sourcePort = sourcePort;
        p.destinationPort = destinationPort;
        p.sequence = sequence;
        p.acknowledgment = acknowledgment;
        p.flags = flags;
        p.window = window;
        p.tcpOptions = tcpOptions;
        p.ipv4Options = ipv4Options;
        p.identification = identification;
        p.ttl = ttl;
        p.tos = tos;
        p.flowLabel = flowLabel;
        p.dontFragment = dontFragment;
        p.payload = payload;
        return p;
    }

    TcpPackets payload(int length, int seed) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        }
        return this;
    }

    /**
     * {@code count} consecutive segments of {@code size} payload bytes (the last {@code lastSize}),
     * sequence numbers and IPv4 identifications continuing, flags as set here on every one.
     */
    List<byte[]> segments(int count, int size, int lastSize) {
        List<byte[]> out = new ArrayList<>();
        long seq = sequence;
        for (int i = 0; i < count; i++) {
            TcpPackets s = copy().payload(i == count - 1 ? lastSize : size, i);
            s.sequence = seq & 0xffffffffL;
            s.identification = (identification + i) & 0xffff;
            out.add(s.build());
            seq += s.payload.length;
        }
        return out;
    }

    int ipHeaderLength() {
        return ipv6 ? 40 : 20 + ipv4Options.length;
    }

    int headerLength() {
        return ipHeaderLength() + 20 + tcpOptions.length;
    }

    /** The packet with valid IPv4 header and TCP checksums. */
    byte[] build() {
        byte[] p = layout(payload);
        int ihl = ipHeaderLength();
        put16(p, ihl + 16, 0);
        put16(p, ihl + 16, tcpChecksum(p));
        return p;
    }

    /**
     * A super-packet as the kernel hands it out with GSO: all of {@code payload}, the TCP checksum
     * field holding the folded pseudo-header sum (CHECKSUM_PARTIAL).
     */
    byte[] buildPartial() {
        byte[] p = layout(payload);
        int ihl = ipHeaderLength();
        put16(p, ihl + 16, foldedPseudoHeader(p));
        return p;
    }

    private byte[] layout(byte[] data) {
        int ihl = ipHeaderLength();
        int total = headerLength() + data.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        if (ipv6) {
            b.putInt((6 << 28) | (tos << 20) | flowLabel)
                    .putShort((short) (total - 40))
                    .put((byte) 6)
                    .put((byte) ttl)
                    .put(V6_SOURCE)
                    .put(V6_DESTINATION);
        } else {
            b.put((byte) (0x40 | (ihl / 4)))
                    .put((byte) tos)
                    .putShort((short) total)
                    .putShort((short) identification)
                    .putShort((short) (dontFragment ? 0x4000 : 0))
                    .put((byte) ttl)
                    .put((byte) 6)
                    .putShort((short) 0)
                    .put(V4_SOURCE)
                    .put(V4_DESTINATION)
                    .put(ipv4Options);
        }
        b.putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putInt((int) sequence)
                .putInt((int) acknowledgment)
                .put((byte) (((20 + tcpOptions.length) / 4) << 4))
                .put((byte) flags)
                .putShort((short) window)
                .putShort((short) 0)
                .putShort((short) 0)
                .put(tcpOptions)
                .put(data);
        byte[] p = b.array();
        if (!ipv6) {
            put16(p, 10, reference(p, 0, ihl, 0));
        }
        return p;
    }

    // ---- independent checks ----

    static boolean isIpv6(byte[] p) {
        return (p[0] & 0xf0) == 0x60;
    }

    static int ipHeaderLength(byte[] p) {
        return isIpv6(p) ? 40 : (p[0] & 0x0f) * 4;
    }

    static int tcpChecksum(byte[] p) {
        int ihl = ipHeaderLength(p);
        int tcpLength = p.length - ihl;
        return reference(p, ihl, tcpLength, pseudoSum(p, tcpLength));
    }

    /** Whether the TCP checksum of the packet (header, payload, pseudo-header) verifies. */
    static boolean tcpChecksumValid(byte[] p) {
        int ihl = ipHeaderLength(p);
        return reference(p, ihl, p.length - ihl, pseudoSum(p, p.length - ihl)) == 0;
    }

    static boolean ipv4HeaderChecksumValid(byte[] p) {
        return reference(p, 0, ipHeaderLength(p), 0) == 0;
    }

    static int foldedPseudoHeader(byte[] p) {
        long sum = pseudoSum(p, p.length - ipHeaderLength(p));
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static long pseudoSum(byte[] p, int tcpLength) {
        boolean v6 = isIpv6(p);
        int at = v6 ? 8 : 12;
        int n = v6 ? 32 : 8;
        long sum = 6 + tcpLength;
        for (int i = 0; i < n; i += 2) {
            sum += get16(p, at + i);
        }
        return sum;
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

    static int tcpFlags(byte[] p) {
        return p[ipHeaderLength(p) + 13] & 0xff;
    }

    static long tcpSequence(byte[] p) {
        return get32(p, ipHeaderLength(p) + 4);
    }

    static int tcpHeaderLength(byte[] p) {
        return ((p[ipHeaderLength(p) + 12] & 0xf0) >>> 4) * 4;
    }

    static byte[] tcpPayload(byte[] p) {
        return Arrays.copyOfRange(p, ipHeaderLength(p) + tcpHeaderLength(p), p.length);
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
