package dev.wirehaven.itests;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** A well-formed IPv4 UDP datagram (RFC 791, RFC 768) to put on an in-memory TUN, as the kernel would. */
final class Ipv4Udp {

    private static final int IPV4_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;
    private static final int DEFAULT_TTL = 64;

    private Ipv4Udp() {}

    static byte[] datagram(InetAddress from, InetAddress to, int sourcePort, int destinationPort, byte[] payload) {
        if (!(from instanceof Inet4Address) || !(to instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPv4 addresses only: " + from + " -> " + to);
        }
        int length = IPV4_HEADER + UDP_HEADER + payload.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) length); // version 4, IHL 5; total length
        b.putShort((short) 0).putShort((short) 0x4000); // identification; don't fragment
        b.put((byte) DEFAULT_TTL).put((byte) PROTOCOL_UDP).putShort((short) 0); // checksum below
        b.put(from.getAddress()).put(to.getAddress());
        b.putShort((short) sourcePort)
                .putShort((short) destinationPort)
                .putShort((short) (UDP_HEADER + payload.length))
                .putShort((short) 0); // UDP checksum 0: none (IPv4 allows it)
        b.put(payload);
        byte[] packet = b.array();
        int checksum = headerChecksum(packet);
        packet[10] = (byte) (checksum >>> 8);
        packet[11] = (byte) checksum;
        return packet;
    }

    /** The one's complement of the one's complement sum of the header's 16-bit words (RFC 791 §3.1). */
    private static int headerChecksum(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < IPV4_HEADER; i += 2) {
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
