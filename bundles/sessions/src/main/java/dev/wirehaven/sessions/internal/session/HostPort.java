package dev.wirehaven.sessions.internal.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A WireGuard endpoint's host and port, as {@code host:port} text: a DNS name, an IPv4 address or an
 * IPv6 address (in brackets when a port follows). Parsed without any name lookup.
 *
 * @param host the host, IPv6 in brackets
 * @param port 1..65535, or 0 when the text named none
 */
record HostPort(String host, int port) {

    private static final Pattern NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    /** {@code host:port}, or {@code host} alone; IPv6 in brackets, or bare without a port. */
    static Optional<HostPort> parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 255) {
            return Optional.empty();
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !isIpv6(s.substring(1, close))) {
                return Optional.empty();
            }
            host = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return Optional.empty();
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            if (!isIpv6(s)) {
                return Optional.empty();
            }
            host = "[" + s + "]";
            port = null;
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (!NAME.matcher(host).matches()) {
                return Optional.empty();
            }
        }
        int number = 0;
        if (port != null) {
            if (!PORT.matcher(port).matches()) {
                return Optional.empty();
            }
            number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new HostPort(host, number));
    }

    /** The same host with {@code defaultPort} when the text named no port. */
    HostPort orPort(int defaultPort) {
        return port == 0 ? new HostPort(host, defaultPort) : this;
    }

    @Override
    public String toString() {
        return port == 0 ? host : host + ":" + port;
    }

    private static boolean isIpv6(String literal) {
        // only hex digits, colons and dots: InetAddress then parses the literal and never asks DNS
        if (!literal.matches("[0-9a-fA-F:.]+") || !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
