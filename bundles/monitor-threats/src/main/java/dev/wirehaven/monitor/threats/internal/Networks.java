package dev.wirehaven.monitor.threats.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The network an address belongs to, for telling places apart: the address cut to a prefix length
 * (by default an IPv4 /24 and an IPv6 /48, a typical customer assignment), so that one household's or
 * one office's changing addresses count as one place.
 */
final class Networks {

    private Networks() {}

    /** The network of {@code address} in prefix form, such as {@code 192.0.2.0/24}. */
    static String of(InetAddress address, int ipv4Length, int ipv6Length) {
        int length = address instanceof Inet4Address ? ipv4Length : ipv6Length;
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e); // 4 or 16: cannot happen
        }
    }
}
