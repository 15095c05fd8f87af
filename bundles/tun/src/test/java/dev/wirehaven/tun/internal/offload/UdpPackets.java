package dev.wirehaven.tun.internal.offload;

import static dev.wirehaven.tun.internal.offload.TcpPackets.get16;
import static dev.wirehaven.tun.internal.offload.TcpPackets.put16;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds UDP/IP datagrams by hand for the offload tests, and checks them with the plain 16-bit
 * checksum loop of {@link TcpPackets#reference} (independent of {@link Checksums}).
 */
final class UdpPackets {

    boolean ipv6;
    int sourcePort = 40000;
    int destinationPort = 51820;
    byte[] ipv4Options = new byte[0];
    int identification = 100;
    int ttl = 64;
    int tos = 0;
    int flowLabel = 0x12345;
    boolean dontFragment = false;
    byte[] payload = new byte[0];

    static UdpPackets ipv4() {
        return new UdpPackets();
    }

    static UdpPackets ipv6() {
        UdpPackets p = new UdpPackets();
        p.ipv6 = true;
        return p;
    }

    UdpPackets copy() {
        UdpPackets p = new UdpPackets();
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

    UdpPackets payload(int length, int seed) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 13 + seed * 29 + (i >> 8));
        }
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

    int ipHeaderLength() {
        return ipv6 ? 40 : 20 + ipv4Options.length;
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
        if (ipv6) {
            b.putInt((6 << 28) | (tos << 20) | flowLabel)
                    .putShort((short) (total - 40))
                    .put((byte) 17)
                    .put((byte) ttl)
                    .put(TcpPackets.V6_SOURCE)
                    .put(TcpPackets.V6_DESTINATION);
        } else {
            b.put((byte) (0x40 | (ihl / 4)))
                    .put((byte) tos)
                    .putShort((short) total)
                    .putShort((short) identification)
                    .putShort((short) (dontFragment ? 0x4000 : 0))
                    .put((byte) ttl)
                    .put((byte) 17)
                    .putShort((short) 0)
                    .put(TcpPackets.V4_SOURCE)
                    .put(TcpPackets.V4_DESTINATION)
                    .put(ipv4Options);
        }
        b.putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putShort((short) (total - ihl))
                .putShort((short) 0)
                .put(payload);
        byte[] p = b.array();
        if (!ipv6) {
            put16(p, 10, TcpPackets.reference(p, 0, ihl, 0));
        }
        return p;
    }

    // ---- independent checks ----

    /** The UDP checksum that the datagram's header and payload compute to, its checksum field taken as 0. */
    static int udpChecksum(byte[] p) {
        int ihl = TcpPackets.ipHeaderLength(p);
        byte[] zeroed = p.clone();
        put16(zeroed, ihl + 6, 0);
        return TcpPackets.reference(zeroed, ihl, p.length - ihl, pseudoSum(p, p.length - ihl));
    }

    /** Whether the UDP checksum of the datagram (header, payload, pseudo-header) verifies and is not 0. */
    static boolean udpChecksumValid(byte[] p) {
        int ihl = TcpPackets.ipHeaderLength(p);
        return get16(p, ihl + 6) != 0
                && TcpPackets.reference(p, ihl, p.length - ihl, pseudoSum(p, p.length - ihl)) == 0;
    }

    static int foldedPseudoHeader(byte[] p) {
        long sum = pseudoSum(p, p.length - TcpPackets.ipHeaderLength(p));
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static long pseudoSum(byte[] p, int udpLength) {
        boolean v6 = TcpPackets.isIpv6(p);
        int at = v6 ? 8 : 12;
        int n = v6 ? 32 : 8;
        long sum = 17 + udpLength;
        for (int i = 0; i < n; i += 2) {
            sum += get16(p, at + i);
        }
        return sum;
    }

    static int udpLength(byte[] p) {
        return get16(p, TcpPackets.ipHeaderLength(p) + 4);
    }

    static byte[] udpPayload(byte[] p) {
        return Arrays.copyOfRange(p, TcpPackets.ipHeaderLength(p) + 8, p.length);
    }
}
