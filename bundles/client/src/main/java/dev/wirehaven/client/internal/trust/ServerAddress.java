package dev.wirehaven.client.internal.trust;

import java.net.URI;
import java.util.Locale;

/**
 * A server as the known-servers file names it: the host as written in the server URL (lower case)
 * and the port, {@code vpn.example.com:8443} or {@code [2001:db8::1]:8443}. The same server reached
 * under another name or port is another entry, as in SSH's known_hosts.
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a server address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
    }

    /** The server of an {@code https} URL; without a port, 443 as for any https URL. */
    public static ServerAddress of(URI server) {
        return new ServerAddress(server.getHost(), server.getPort() < 0 ? 443 : server.getPort());
    }

    /**
     * Parses the form of {@link #toString()}.
     *
     * @throws IllegalArgumentException if the text is not {@code host:port}
     */
    public static ServerAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("'" + text + "' has an IPv6 host without brackets");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port", e);
        }
        return new ServerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
