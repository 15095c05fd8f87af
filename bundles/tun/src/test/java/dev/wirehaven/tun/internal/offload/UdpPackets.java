package dev.wirehaven.tun.internal.offload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds UDP/IP datagrams by hand for the offload tests (the IP side in {@link IpPackets}), and checks
 * them with the plain 16-bit checksum loop of {@link IpPackets#reference} (independent of {@link Checksums}).
 */
final class UdpPackets extends IpPackets {

    private static final int PROTOCOL = 17;

    private UdpPackets() {
        super(51820, false);
    }

    static UdpPackets ipv4() {
        return new UdpPackets();
    }

    static UdpPackets ipv6() {
        UdpPackets p = new UdpPackets();
        p.ipv6 = true;
        return p;
    }

    UdpPackets copy() {
        return withIpFieldsOf(new UdpPackets());
    }

    UdpPackets payload(int length, int seed) {
        fillPayload(length, seed, 13, 29);
        return this;
    }

    /**
     * {@code count} datagrams of the flow with {@code size} payload bytes (the last {@code lastSize}),
     * each with its own payload, IPv4 identifications counting up.
     */
    List<byte[]> datagrams(int count, int size, int lastSize) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UdpPackets d = copy().payload(i == count - 1 ? lastSize : size, i);
            d.identification = (identification + i) & 0xffff;
            out.add(d.build());
        }
        return out;
    }

    int headerLength() {
        return ipHeaderLength() + 8;
    }

    /** The datagram with valid IPv4 header and UDP checksums (a computed 0 sent as 0xFFFF). */
    byte[] build() {
        byte[] p = layout();
        int sum = udpChecksum(p);
        put16(p, ipHeaderLength() + 6, sum == 0 ? 0xffff : sum);
        return p;
    }

    /**
     * A super-packet as the kernel hands out a UDP_SEGMENT send: all of {@code payload}, the UDP
     * length of the whole, the checksum field holding the folded pseudo-header sum.
     */
    byte[] buildPartial() {
        byte[] p = layout();
        put16(p, ipHeaderLength() + 6, foldedPseudoHeader(p));
        return p;
    }

    private byte[] layout() {
        int ihl = ipHeaderLength();
        int total = headerLength() + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        putIpHeader(b, total, PROTOCOL);
        b.putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putShort((short) (total - ihl))
                .putShort((short) 0)
                .put(payload);
        byte[] p = b.array();
        sealIpHeader(p);
        return p;
    }

    // ---- independent checks ----

    /** The UDP checksum that the datagram's header and payload compute to, its checksum field taken as 0. */
    static int udpChecksum(byte[] p) {
        int ihl = ipHeaderLength(p);
        byte[] zeroed = p.clone();
        put16(zeroed, ihl + 6, 0);
        return reference(zeroed, ihl, p.length - ihl, pseudoSum(p, PROTOCOL, p.length - ihl));
    }

    /** Whether the UDP checksum of the datagram (header, payload, pseudo-header) verifies and is not 0. */
    static boolean udpChecksumValid(byte[] p) {
        int ihl = ipHeaderLength(p);
        return get16(p, ihl + 6) != 0 && reference(p, ihl, p.length - ihl, pseudoSum(p, PROTOCOL, p.length - ihl)) == 0;
    }

    static int foldedPseudoHeader(byte[] p) {
        return foldedPseudoHeader(p, PROTOCOL);
    }

    static int udpLength(byte[] p) {
        return get16(p, ipHeaderLength(p) + 4);
    }

    static byte[] udpPayload(byte[] p) {
        return Arrays.copyOfRange(p, ipHeaderLength(p) + 8, p.length);
    }
}
