package dev.wirehaven.wireguard.internal.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Minimal IPv4/IPv6 UDP packets for tunnel tests (checksums are not checked by WireGuard and left zero). */
public final class Packets {

    private Packets() {}

    public static byte[] ipv4(String src, String dst, int payloadLength, int tag) {
        byte[] p = new byte[20 + 8 + payloadLength];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(addr(src), 0, p, 12, 4);
        System.arraycopy(addr(dst), 0, p, 16, 4);
        fill(p, 28, tag);
        return p;
    }

    public static byte[] ipv6(String src, String dst, int payloadLength, int tag) {
        byte[] p = new byte[40 + 8 + payloadLength];
        p[0] = 0x60;
        int pl = 8 + payloadLength;
        p[4] = (byte) (pl >>> 8);
        p[5] = (byte) pl;
        p[6] = 17;
        p[7] = 64;
        System.arraycopy(addr(src), 0, p, 8, 16);
        System.arraycopy(addr(dst), 0, p, 24, 16);
        fill(p, 48, tag);
        return p;
    }

    private static void fill(byte[] p, int from, int tag) {
        for (int i = from; i < p.length; i++) {
            p[i] = (byte) (tag + i);
        }
    }

    private static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
