package dev.wirehaven.client;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What the host's network needs for the tunnel: the interface's addresses and MTU, the prefixes
 * routed into it, DNS, and the server's own addresses, which must stay reachable outside the
 * tunnel (else a full tunnel would route the tunnel's own UDP and the control API into itself).
 *
 * @param addresses the tunnel addresses of the interface, such as {@code 10.8.0.2/32}
 * @param mtu the interface MTU
 * @param routes the prefixes routed into the tunnel; {@code 0.0.0.0/0} or {@code ::/0} make it a full tunnel
 * @param dnsServers DNS servers to use while connected; empty leaves DNS alone
 * @param searchDomains DNS search domains to use while connected
 * @param keepOutside the server's WireGuard endpoint and control API addresses
 */
public record NetworkSettings(
        List<InterfaceAddress> addresses,
        int mtu,
        List<Cidr> routes,
        List<InetAddress> dnsServers,
        List<String> searchDomains,
        List<InetAddress> keepOutside) {

    public NetworkSettings {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        dnsServers = List.copyOf(dnsServers);
        searchDomains = List.copyOf(searchDomains);
        keepOutside = List.copyOf(keepOutside);
        if (mtu < 1280 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 1280..65535");
        }
    }

    /** True when a default route (of either family) goes into the tunnel. */
    public boolean fullTunnel() {
        return routes.stream().anyMatch(r -> r.prefixLength() == 0);
    }

    /** The same settings with other routes. */
    public NetworkSettings withRoutes(List<Cidr> next) {
        return new NetworkSettings(addresses, mtu, next, dnsServers, searchDomains, keepOutside);
    }

    /** The same settings with other DNS servers and search domains. */
    public NetworkSettings withDns(List<InetAddress> servers, List<String> domains) {
        return new NetworkSettings(addresses, mtu, routes, servers, domains, keepOutside);
    }

    /** The same settings with other server addresses to keep outside the tunnel. */
    public NetworkSettings withKeepOutside(List<InetAddress> next) {
        return new NetworkSettings(addresses, mtu, routes, dnsServers, searchDomains, Objects.requireNonNull(next));
    }
}
