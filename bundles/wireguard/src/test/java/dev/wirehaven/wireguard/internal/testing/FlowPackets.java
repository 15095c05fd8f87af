package dev.wirehaven.wireguard.internal.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IPv4 and IPv6 packets with the headers that flow tracking reads: TCP and UDP ports, ICMP echo
 * identifiers, ICMP errors, fragments and IPv6 extension headers. Checksums are left zero (neither
 * WireGuard nor the filter checks them).
 */
public final class FlowPackets {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int HOP_BY_HOP = 0;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;

    private FlowPackets() {}

    public static byte[] tcp(String src, int srcPort, String dst, int dstPort) {
        byte[] t = new byte[20 + 10];
        ports(t, srcPort, dstPort);
        t[12] = 0x50; // data offset 5 words
        return ip(src, dst, TCP, t);
    }

    public static byte[] udp(String src, int srcPort, String dst, int dstPort) {
        byte[] t = new byte[8 + 10];
        ports(t, srcPort, dstPort);
        t[4] = 0;
        t[5] = (byte) t.length;
        return ip(src, dst, UDP, t);
    }

    /** An echo request or reply; ICMP or ICMPv6 by the addresses' family. */
    public static byte[] echo(String src, String dst, boolean reply, int identifier) {
        boolean v6 = address(src).length == 16;
        byte[] t = new byte[8 + 16];
        t[0] = (byte) (v6 ? (reply ? 129 : 128) : (reply ? 0 : 8));
        t[4] = (byte) (identifier >>> 8);
        t[5] = (byte) identifier;
        t[7] = 1; // sequence number
        return ip(src, dst, v6 ? ICMPV6 : ICMP, t);
    }

    /**
     * An ICMP error of {@code type} from {@code src} to {@code dst} that reports {@code invoking}: its
     * first 28 bytes for IPv4 (RFC 792), all of it for IPv6 (RFC 4443).
     */
    public static byte[] icmpError(String src, String dst, int type, byte[] invoking) {
        boolean v6 = address(src).length == 16;
        int quoted = v6 ? invoking.length : Math.min(invoking.length, 28);
        byte[] t = new byte[8 + quoted];
        t[0] = (byte) type;
        System.arraycopy(invoking, 0, t, 8, quoted);
        return ip(src, dst, v6 ? ICMPV6 : ICMP, t);
    }

    /** An IPv4 or IPv6 packet with {@code protocol} (IPv6: the first next header) and upper-layer bytes. */
    public static byte[] ip(String src, String dst, int protocol, byte[] upper) {
        byte[] s = address(src);
        byte[] d = address(dst);
        if (s.length == 4) {
            byte[] p = new byte[20 + upper.length];
            p[0] = 0x45;
            p[2] = (byte) (p.length >>> 8);
            p[3] = (byte) p.length;
            p[8] = 64;
            p[9] = (byte) protocol;
            System.arraycopy(s, 0, p, 12, 4);
            System.arraycopy(d, 0, p, 16, 4);
            System.arraycopy(upper, 0, p, 20, upper.length);
            return p;
        }
        byte[] p = new byte[40 + upper.length];
        p[0] = 0x60;
        p[4] = (byte) (upper.length >>> 8);
        p[5] = (byte) upper.length;
        p[6] = (byte) protocol;
        p[7] = 64;
        System.arraycopy(s, 0, p, 8, 16);
        System.arraycopy(d, 0, p, 24, 16);
        System.arraycopy(upper, 0, p, 40, upper.length);
        return p;
    }

    /** The IPv4 {@code packet} marked as a fragment of datagram {@code id} at {@code offsetUnits} × 8 bytes. */
    public static byte[] fragment4(byte[] packet, int id, int offsetUnits, boolean more) {
        byte[] p = packet.clone();
        p[4] = (byte) (id >>> 8);
        p[5] = (byte) id;
        int flags = offsetUnits | (more ? 0x2000 : 0);
        p[6] = (byte) (flags >>> 8);
        p[7] = (byte) flags;
        return p;
    }

    /** An IPv6 Fragment header (RFC 8200 §4.5) in front of {@code rest}, whose protocol is {@code next}. */
    public static byte[] fragmentHeader(int next, int offsetUnits, boolean more, int id, byte[] rest) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        int v = offsetUnits << 3 | (more ? 1 : 0);
        h[2] = (byte) (v >>> 8);
        h[3] = (byte) v;
        h[4] = (byte) (id >>> 24);
        h[5] = (byte) (id >>> 16);
        h[6] = (byte) (id >>> 8);
        h[7] = (byte) id;
        return concat(h, rest);
    }

    /** An options header (hop-by-hop, destination options) of {@code units} + 1 × 8 bytes. */
    public static byte[] optionsHeader(int next, int units, byte[] rest) {
        byte[] h = new byte[(units + 1) * 8];
        h[0] = (byte) next;
        h[1] = (byte) units;
        h[2] = 1; // PadN over the rest
        h[3] = (byte) (h.length - 4);
        return concat(h, rest);
    }

    /** The upper-layer bytes of a packet built by {@link #ip} (after its fixed header). */
    public static byte[] upper(byte[] packet) {
        int header = (packet[0] & 0xf0) == 0x40 ? 20 : 40;
        return Arrays.copyOfRange(packet, header, packet.length);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void ports(byte[] t, int srcPort, int dstPort) {
        t[0] = (byte) (srcPort >>> 8);
        t[1] = (byte) srcPort;
        t[2] = (byte) (dstPort >>> 8);
        t[3] = (byte) dstPort;
    }

    private static byte[] address(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
