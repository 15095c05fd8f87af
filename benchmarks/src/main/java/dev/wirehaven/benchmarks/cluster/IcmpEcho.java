package dev.wirehaven.benchmarks.cluster;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * IPv4 ICMP echo requests and replies as whole IP packets, the way they pass through a client's TUN:
 * the probe writes a request into the tunnel and the kernel of the gateway's namespace answers it
 * (its interface address is local there), so nothing but the gateway path has to run for an answer.
 * Both checksums are filled in: the receiving kernel drops a packet whose header or ICMP checksum is
 * wrong.
 */
final class IcmpEcho {

    static final int HEADER = 20;
    static final int ICMP_HEADER = 8;
    private static final int PROTOCOL_ICMP = 1;
    private static final int ECHO_REPLY = 0;
    private static final int ECHO_REQUEST = 8;
    private static final int PAYLOAD = 8;

    private IcmpEcho() {}

    /** An echo request from {@code source} to {@code target} with the given identifier and sequence number. */
    static byte[] request(Inet4Address source, Inet4Address target, int identifier, int sequence, long payload) {
        int length = HEADER + ICMP_HEADER + PAYLOAD;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) length);
        b.putShort((short) sequence).putShort((short) 0x4000); // id, DF
        b.put((byte) 64).put((byte) PROTOCOL_ICMP).putShort((short) 0);
        b.put(source.getAddress()).put(target.getAddress());
        b.put((byte) ECHO_REQUEST).put((byte) 0).putShort((short) 0);
        b.putShort((short) identifier).putShort((short) sequence).putLong(payload);
        byte[] p = b.array();
        putChecksum(p, 10, 0, HEADER);
        putChecksum(p, HEADER + 2, HEADER, length - HEADER);
        return p;
    }

    /**
     * The sequence number if {@code packet} is an IPv4 echo reply with {@code identifier}, else -1.
     */
    static int replySequence(byte[] packet, int length, int identifier) {
        if (length < HEADER + ICMP_HEADER || (packet[0] & 0xf0) != 0x40 || packet[9] != PROTOCOL_ICMP) {
            return -1;
        }
        int ihl = (packet[0] & 0x0f) * 4;
        if (length < ihl + ICMP_HEADER || packet[ihl] != ECHO_REPLY) {
            return -1;
        }
        int id = ((packet[ihl + 4] & 0xff) << 8) | (packet[ihl + 5] & 0xff);
        if (id != identifier) {
            return -1;
        }
        return ((packet[ihl + 6] & 0xff) << 8) | (packet[ihl + 7] & 0xff);
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes from {@code from}, written at {@code at}. */
    private static void putChecksum(byte[] p, int at, int from, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((p[from + i] & 0xff) << 8) | (p[from + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (p[from + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int c = (int) (~sum & 0xffff);
        p[at] = (byte) (c >> 8);
        p[at + 1] = (byte) c;
    }
}
