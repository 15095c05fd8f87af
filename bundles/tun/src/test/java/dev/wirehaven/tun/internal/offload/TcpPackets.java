package dev.wirehaven.tun.internal.offload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds TCP/IP packets by hand for the offload tests (the IP side in {@link IpPackets}), and checks
 * them with its own checksum code (a plain 16-bit loop, independent of {@link Checksums}).
 */
final class TcpPackets extends IpPackets {

    /** NOP, NOP, Timestamps (kind 8, length 10, TSval, TSecr): what Linux puts on every segment. */
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};

    private static final int PROTOCOL = 6;

    long sequence = 1_000_000;
    long acknowledgment = 777;
    int flags = TcpHeader.ACK;
    int window = 501;
    byte[] tcpOptions = TIMESTAMPS;

    private TcpPackets() {
        super(5201, true);
    }

    static TcpPackets ipv4() {
        return new TcpPackets();
    }

    static TcpPackets ipv6() {
        TcpPackets p = new TcpPackets();
        p.ipv6 = true;
        return p;
    }

    TcpPackets copy() {
        TcpPackets p = withIpFieldsOf(new TcpPackets());
        p.sequence = sequence;
        p.acknowledgment = acknowledgment;
        p.flags = flags;
        p.window = window;
        p.tcpOptions = tcpOptions;
        return p;
    }

    TcpPackets payload(int length, int seed) {
        fillPayload(length, seed, 31, 7);
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
        int total = headerLength() + data.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        putIpHeader(b, total, PROTOCOL);
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
        sealIpHeader(p);
        return p;
    }

    // ---- independent checks ----

    static int tcpChecksum(byte[] p) {
        int ihl = ipHeaderLength(p);
        int tcpLength = p.length - ihl;
        return reference(p, ihl, tcpLength, pseudoSum(p, PROTOCOL, tcpLength));
    }

    /** Whether the TCP checksum of the packet (header, payload, pseudo-header) verifies. */
    static boolean tcpChecksumValid(byte[] p) {
        int ihl = ipHeaderLength(p);
        return reference(p, ihl, p.length - ihl, pseudoSum(p, PROTOCOL, p.length - ihl)) == 0;
    }

    static int foldedPseudoHeader(byte[] p) {
        return foldedPseudoHeader(p, PROTOCOL);
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
}
