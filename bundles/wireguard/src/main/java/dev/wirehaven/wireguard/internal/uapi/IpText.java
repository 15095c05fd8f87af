package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * IP addresses, prefixes and endpoints in the text form of the userspace API: literals only, never
 * names. {@link InetAddress#getByName} would resolve a word like {@code cafe} through DNS, so every
 * text is checked to be a literal before the JDK sees it. Output follows what wireguard-go prints
 * (Go's {@code netip}): dotted quads, RFC 5952 IPv6 with {@code ::} compression, endpoints as
 * {@code 1.2.3.4:51820} and {@code [fd00::1]:51820}.
 */
final class IpText {

    private IpText() {}

    /** Parses an IPv4 or IPv6 literal; IPv4 must be four decimal octets without leading zeros. */
    static InetAddress parseAddress(String text) {
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        return parseIpv4(text);
    }

    /** Parses {@code address/length}; the length is required, as in Go's {@code netip.ParsePrefix}. */
    static Cidr parsePrefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no prefix length in " + quote(text));
        }
        InetAddress address = parseAddress(text.substring(0, slash));
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            throw new IllegalArgumentException("a prefix has no zone: " + quote(text));
        }
        int max = address.getAddress().length * 8;
        int length = parseDecimal(text.substring(slash + 1), max, "prefix length");
        return new Cidr(address, length);
    }

    /** Parses {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820} (an IPv6 zone is allowed). */
    static InetSocketAddress parseEndpoint(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("not an endpoint: " + quote(text));
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets around a non-IPv6 address: " + quote(text));
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("not an endpoint (IPv6 needs brackets): " + quote(text));
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        InetAddress address = parseAddress(host);
        return new InetSocketAddress(address, parseDecimal(port, 0xffff, "port"));
    }

    static String formatAddress(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        Inet6Address v6 = (Inet6Address) address;
        String text = IpAddresses.format(v6);
        if (v6.getScopedInterface() != null) {
            return text + "%" + v6.getScopedInterface().getName();
        }
        if (v6.getScopeId() != 0) {
            return text + "%" + v6.getScopeId();
        }
        return text;
    }

    static String formatPrefix(Cidr prefix) {
        return formatAddress(prefix.address()) + "/" + prefix.prefixLength();
    }

    static String formatEndpoint(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        if (address instanceof Inet6Address) {
            return "[" + formatAddress(address) + "]:" + endpoint.getPort();
        }
        return formatAddress(address) + ":" + endpoint.getPort();
    }

    /** A non-negative decimal with no sign, spaces or other characters, at most {@code max}. */
    static int parseDecimal(String text, long max, String what) {
        return (int) parseUnsigned(text, max, what);
    }

    /** As {@link #parseDecimal} but up to 2^32-1, returned as a long. */
    static long parseUnsigned(String text, long max, String what) {
        if (text.isEmpty() || text.length() > 20) {
            throw new IllegalArgumentException("invalid " + what + ": " + quote(text));
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid " + what + ": " + quote(text));
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw new IllegalArgumentException(what + " out of range 0.." + max + ": " + quote(text));
            }
        }
        return value;
    }

    private static InetAddress parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address: " + quote(text));
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.length() > 1 && part.charAt(0) == '0') {
                // Go's netip refuses leading zeros: some parsers read them as octal
                throw new IllegalArgumentException("leading zero in IPv4 address: " + quote(text));
            }
            bytes[i] = (byte) parseDecimal(part, 255, "IPv4 address");
        }
        return byAddress(bytes, text);
    }

    private static InetAddress parseIpv6(String text) {
        String literal = text;
        String zone = null;
        int percent = text.indexOf('%');
        if (percent >= 0) {
            literal = text.substring(0, percent);
            zone = text.substring(percent + 1);
            if (!zone.matches("[A-Za-z0-9_.\\-]{1,15}")) {
                throw new IllegalArgumentException("invalid IPv6 zone: " + quote(text));
            }
        }
        if (!literal.matches("[0-9A-Fa-f:.]{2,45}")) {
            throw new IllegalArgumentException("not an IP address: " + quote(text));
        }
        try {
            // a text with ':' is only ever parsed as a literal by the JDK, never resolved
            InetAddress parsed = InetAddress.getByName(zone == null ? literal : literal + "%" + zone);
            if (parsed instanceof Inet4Address) {
                // the JDK folds ::ffff:a.b.c.d into IPv4; keep what was written
                return mappedIpv6(parsed, text);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + quote(text), e);
        }
    }

    private static InetAddress mappedIpv6(InetAddress v4, String text) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, bytes, 12, 4);
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + quote(text), e);
        }
    }

    private static InetAddress byAddress(byte[] bytes, String text) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + quote(text), e);
        }
    }

    static String quote(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
