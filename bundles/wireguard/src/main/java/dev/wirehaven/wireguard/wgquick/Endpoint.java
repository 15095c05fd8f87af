package dev.wirehaven.wireguard.wgquick;

/**
 * A peer's UDP endpoint as written in a wg-quick file: an IP literal or a host name, and a port.
 * Names are kept as written and never resolved here: the stock apps and wg(8) resolve them when
 * the tunnel comes up, and a config must survive an import/export round trip unchanged.
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /** True when the host is an IPv6 literal, which wg-quick writes in brackets. */
    public boolean isIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** {@code host:port}, or {@code [v6]:port} for an IPv6 literal. */
    @Override
    public String toString() {
        return (isIpv6Literal() ? "[" + host + "]" : host) + ":" + port;
    }
}
