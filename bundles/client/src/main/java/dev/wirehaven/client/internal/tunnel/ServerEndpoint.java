package dev.wirehaven.client.internal.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The server's WireGuard endpoint as the server config gives it, {@code host:port} with an IPv6
 * literal in brackets. The host may be a name; {@link #resolve()} looks it up when the tunnel is
 * configured and again on each reconnect, so a server that moved is found.
 */
public record ServerEndpoint(String host, int port) {

    public ServerEndpoint {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static ServerEndpoint parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("the server's endpoint '" + text + "' is not [address]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("the server's endpoint '" + text + "' is not host:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        try {
            return new ServerEndpoint(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the server's endpoint '" + text + "' has no numeric port", e);
        }
    }

    /**
     * Looks the host up (an IP literal needs no lookup), preferring IPv4 like wg(8) does when a name
     * has both: many client networks still lack IPv6 routing.
     */
    public InetSocketAddress resolve() throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        InetAddress chosen = all[0];
        for (InetAddress a : all) {
            if (a.getAddress().length == 4) {
                chosen = a;
                break;
            }
        }
        return new InetSocketAddress(chosen, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
