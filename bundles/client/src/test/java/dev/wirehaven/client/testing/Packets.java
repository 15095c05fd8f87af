package dev.wirehaven.client.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 UDP packets for tunnel tests; WireGuard checks addresses and lengths, not checksums. */
public final class Packets {

    private Packets() {}

    public static byte[] udp4(String source, String destination, byte[] payload) {
        byte[] p = new byte[28 + payload.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(address(source), 0, p, 12, 4);
        System.arraycopy(address(destination), 0, p, 16, 4);
        int udpLength = 8 + payload.length;
        p[24] = (byte) (udpLength >>> 8);
        p[25] = (byte) udpLength;
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
