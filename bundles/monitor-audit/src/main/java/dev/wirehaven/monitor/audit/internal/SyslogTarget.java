package dev.wirehaven.monitor.audit.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where syslog goes: {@code udp://host:514} (RFC 5426), {@code tcp://host:601} (RFC 6587, octet
 * counting) or {@code tls://host:6514} (RFC 5425). Parsed once at configuration, with a message that
 * names the key and the form when it is wrong.
 */
record SyslogTarget(String transport, String host, int port) {

    static SyslogTarget parse(String value) {
        String v = value.strip();
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid(value, e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "udp" -> 514;
            case "tcp" -> 601;
            case "tls" -> 6514;
            default -> throw invalid(value, "the transport must be udp, tcp or tls");
        };
        if (uri.getHost() == null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null) {
            throw invalid(value, "give only a host and an optional port");
        }
        return new SyslogTarget(scheme, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
    }

    private static IllegalArgumentException invalid(String value, String why) {
        return new IllegalArgumentException("syslog.target '" + value + "': " + why
                + "; write udp://HOST[:514], tcp://HOST[:601] or tls://HOST[:6514]");
    }

    @Override
    public String toString() {
        return transport + "://" + host + ":" + port;
    }
}
