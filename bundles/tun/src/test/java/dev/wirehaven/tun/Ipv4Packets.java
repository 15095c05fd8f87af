package dev.wirehaven.tun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Builds and reads the few IPv4 packets that the TUN tests exchange with the kernel. */
final class Ipv4Packets {

    static final int ICMP = 1;
    static final int UDP = 17;

    private Ipv4Packets() {}

    static byte[] udp(InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort((short) srcPort)
                .putShort((short) dstPort)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0) // no UDP checksum: allowed over IPv4
                .put(payload);
        return ip(UDP, src, dst, udp.array());
    }

    static byte[] icmpEchoRequest(InetAddress src, InetAddress dst, int id, int seq, byte[] data) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + data.length);
        icmp.put((byte) 8)
                .put((byte) 0)
                .putShort((short) 0)
                .putShort((short) id)
                .putShort((short) seq)
                .put(data);
        byte[] bytes = icmp.array();
        int sum = checksum(bytes, 0, bytes.length);
        bytes[2] = (byte) (sum >>> 8);
        bytes[3] = (byte) sum;
        return ip(ICMP, src, dst, bytes);
    }

    static byte[] ip(int protocol, InetAddress src, InetAddress dst, byte[] body) {
        ByteBuffer p = ByteBuffer.allocate(20 + body.length);
        p.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + body.length))
                .putShort((short) 0x1234)
                .putShort((short) 0x4000) // DF
                .put((byte) 64)
                .put((byte) protocol)
                .putShort((short) 0)
                .put(src.getAddress())
                .put(dst.getAddress())
                .put(body);
        byte[] bytes = p.array();
        int sum = checksum(bytes, 0, 20);
        bytes[10] = (byte) (sum >>> 8);
        bytes[11] = (byte) sum;
        return bytes;
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static boolean isIpv4(byte[] p, int len) {
        return len >= 20 && (p[0] >> 4) == 4;
    }

    static int protocol(byte[] p) {
        return p[9] & 0xff;
    }

    static InetAddress source(byte[] p) {
        return address(p, 12);
    }

    static InetAddress destination(byte[] p) {
        return address(p, 16);
    }

    static int headerLength(byte[] p) {
        return (p[0] & 0x0f) * 4;
    }

    static int udpDestinationPort(byte[] p) {
        int h = headerLength(p);
        return ((p[h + 2] & 0xff) << 8) | (p[h + 3] & 0xff);
    }

    private static InetAddress address(byte[] p, int at) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {p[at], p[at + 1], p[at + 2], p[at + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
