package dev.wirehaven.interfaces.internal.wireguard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Minimal IPv4 packets for tests that send something through a tunnel. */
final class Ipv4 {

    /** A protocol number reserved for experiments (RFC 3692): nothing on the path interprets the payload. */
    private static final int EXPERIMENTAL = 253;

    private Ipv4() {}

    /** A packet from {@code source} to {@code destination} with a valid header checksum. */
    static byte[] packet(String source, String destination, byte[] payload) throws UnknownHostException {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = (byte) EXPERIMENTAL;
        System.arraycopy(InetAddress.getByName(source).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(destination).getAddress(), 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }
}
