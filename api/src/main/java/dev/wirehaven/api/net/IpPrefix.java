package dev.wirehaven.api.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/24} or {@code fd00::/64}: a tunnel address, a
 * subnet that a site-to-site client advertises, or a destination range in a policy rule.
 *
 * <p>The host bits are cleared on construction, so that two prefixes that cover the same addresses
 * are equal values. {@link #parse(String)} accepts only literal addresses: it never resolves a
 * name through DNS, because a policy decision must not depend on a lookup.
 *
 * @param address the network address (host bits cleared)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern LENGTH = Pattern.compile("\\d{1,3}");

    /** Validates the length against the address family and clears the host bits. */
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
        address = masked(address.getAddress(), prefixLength);
    }

    /**
     * Parses {@code address/length}; a bare address means a single host ({@code /32} or {@code /128}).
     *
     * @throws IllegalArgumentException when the text is not a literal IP prefix
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        // Only literals may reach InetAddress.getByName: hex digits and dots alone ("face", "be.ef",
        // "1.2.3.256") would be taken for a host name and looked up in DNS. An IPv4 literal is a dotted
        // quad of octets up to 255; an IPv6 literal always has a colon, and the JDK parses it without a lookup.
        if (!DOTTED_QUAD.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
        if (slash >= 0 && !LENGTH.matcher(s.substring(slash + 1)).matches()) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host); // a literal: the patterns above rule out names
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text, e);
        }
        int len;
        try {
            len = slash < 0 ? addr.getAddress().length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP prefix: " + text, e);
        }
        return new IpPrefix(addr, len);
    }

    /** A prefix that covers exactly one address. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, address.getAddress().length * 8);
    }

    /** True when {@code candidate} is of the same family and inside this prefix. */
    public boolean contains(InetAddress candidate) {
        byte[] mine = address.getAddress();
        byte[] theirs = candidate.getAddress();
        if (mine.length != theirs.length) {
            return false;
        }
        for (int i = 0; i < mine.length; i++) {
            int bits = Math.max(0, Math.min(8, prefixLength - 8 * i));
            int mask = (0xff << (8 - bits)) & 0xff;
            if ((theirs[i] & mask) != (mine[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** True for an IPv4 prefix. */
    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    private static InetAddress masked(byte[] b, int len) {
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, len - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            // Inet6Address keeps a masked IPv6 prefix IPv6 even when its bits look like ::ffff:a.b.c.d,
            // which InetAddress.getByAddress would silently turn into an IPv4 address
            return b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always a valid address", e);
        }
    }

    /** The usual {@code address/length} notation. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
