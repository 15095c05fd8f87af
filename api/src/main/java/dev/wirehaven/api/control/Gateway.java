package dev.wirehaven.api.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Another gateway node of the cluster that holds this session's WireGuard peer too ("pre-staged"), so
 * that a client whose gateway stops answering can move to it without a new login: it points its
 * WireGuard peer at {@link #publicKey()} and {@link #endpoint()} (its own private key, addresses,
 * preshared key and routes stay), and sends its control calls, with the same session id and token, to
 * {@link #controlUrl()}. Every node of a cluster presents the same TLS certificate (the cluster's name),
 * so the client's pin covers them all. See {@link ServerConfig#gateways()} and {@link PolicyUpdate#gateways()}.
 *
 * @param name the node's name, for people (logs, events): 1 to {@value #MAX_NAME} characters, not blank
 * @param endpoint the node's WireGuard endpoint as {@code host:port}, an IPv6 literal in brackets
 *        ({@code [2001:db8::1]:51820})
 * @param publicKey the node's WireGuard public key (each node has its own key pair)
 * @param controlUrl the node's control API, an absolute {@code https} URL such as
 *        {@code https://gw2.example.com:8443} (no user info, query or fragment)
 * @since 1.2
 */
public record Gateway(String name, String endpoint, String publicKey, String controlUrl) {

    /** Longest node name. */
    public static final int MAX_NAME = 64;

    /**
     * Most gateways one message lists: a client tries them one after the other, each for a bounded time,
     * so more would only make a failover slower; a server lists its best 16.
     */
    public static final int MAX_PER_MESSAGE = 16;

    /** Longest endpoint: a DNS name of 253 characters, a colon and a port. */
    private static final int MAX_ENDPOINT = 253 + 6;

    private static final int MAX_URL = 2048;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /** Validates; each failure names the field. */
    public Gateway {
        name = Messages.name("gateway name", name, true);
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("gateway name must have 1 to " + MAX_NAME + " characters, not blank");
        }
        endpoint = endpoint(endpoint);
        publicKey = Messages.key("gateway publicKey", publicKey);
        controlUrl = controlUrl(controlUrl);
    }

    /** {@code values} checked as a message's gateway list: null is none, at most {@value #MAX_PER_MESSAGE}. */
    static List<Gateway> list(List<Gateway> values) {
        if (values != null && values.size() > MAX_PER_MESSAGE) {
            throw new IllegalArgumentException("gateways has more than " + MAX_PER_MESSAGE + " entries");
        }
        return Messages.values("gateways", values);
    }

    private static String endpoint(String value) {
        if (value == null) {
            throw new IllegalArgumentException("gateway endpoint is missing");
        }
        if (value.length() > MAX_ENDPOINT) {
            throw new IllegalArgumentException("gateway endpoint is longer than " + MAX_ENDPOINT + " characters");
        }
        String host;
        String port;
        boolean v6 = value.startsWith("[");
        if (v6) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("gateway endpoint is not [IPv6 address]:port");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw new IllegalArgumentException(
                        "gateway endpoint is not host:port (an IPv6 address goes in brackets)");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        boolean hostOk = v6
                ? IPV6.matcher(host).matches() && host.indexOf(':') >= 0
                : HOST_NAME.matcher(host).matches();
        if (!hostOk) {
            throw new IllegalArgumentException(
                    "gateway endpoint's host is not " + (v6 ? "an IPv6 address" : "a DNS name or an IPv4 address"));
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("gateway endpoint's port is not 1..65535");
        }
        return value;
    }

    private static String controlUrl(String value) {
        if (value == null) {
            throw new IllegalArgumentException("gateway controlUrl is missing");
        }
        if (value.length() > MAX_URL) {
            throw new IllegalArgumentException("gateway controlUrl is longer than " + MAX_URL + " characters");
        }
        URI u;
        try {
            u = new URI(value); // refuses spaces and control characters
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("gateway controlUrl is not a URL", e);
        }
        if (!u.isAbsolute() || !"https".equals(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("gateway controlUrl is not an https URL");
        }
        if (u.getHost() == null
                || u.getRawUserInfo() != null
                || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "gateway controlUrl must be https://host[:port][/path], without user info," + " query or fragment");
        }
        if (!value.codePoints().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("gateway controlUrl contains characters other than printable ASCII");
        }
        return value;
    }
}
