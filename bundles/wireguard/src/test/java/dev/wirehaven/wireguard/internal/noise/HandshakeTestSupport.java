package dev.wirehaven.wireguard.internal.noise;

import java.net.InetSocketAddress;
import java.util.Arrays;

/** The cookie source bytes as the device forms them: address, then port big-endian. */
final class HandshakeTestSupport {

    private HandshakeTestSupport() {}

    static byte[] sourceBytes(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (a.getPort() >>> 8);
        out[ip.length + 1] = (byte) a.getPort();
        return out;
    }
}
