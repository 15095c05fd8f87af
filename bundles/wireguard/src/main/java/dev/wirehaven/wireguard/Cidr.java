package dev.wirehaven.wireguard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/24} or {@code fd00::/64}; the host bits are
 * cleared on construction so that equal prefixes are equal values.
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
        address = masked(address, prefixLength);
    }

    /** Parses {@code address/length}; a bare address means a host route (/32 or /128). */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        // Only literals reach InetAddress: a bare word such as "cafe" would otherwise be looked up in
        // DNS. An IPv6 literal always has a colon (the JDK then parses it without any lookup);
        // IPv4 must be a dotted quad.
        boolean literal = host.indexOf(':') >= 0 ? host.matches("[0-9a-fA-F:.]+") : isDottedQuad(host);
        if (!literal) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text, e);
        }
        int len;
        try {
            len = slash < 0 ? addr.getAddress().length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text, e);
        }
        return new Cidr(addr, len);
    }

    private static boolean isDottedQuad(String host) {
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            // an octet over 255 would make the JDK treat the text as a host name and resolve it
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    private static InetAddress masked(InetAddress a, int len) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, len - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }
}
