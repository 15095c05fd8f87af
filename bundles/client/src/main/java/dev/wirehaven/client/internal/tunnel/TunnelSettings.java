package dev.wirehaven.client.internal.tunnel;

import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server config and policy updates in the client's own types: prefixes, addresses, DNS. Every value
 * is checked by {@link ServerSettingsCheck} on its way in, so that nothing a server should not give
 * reaches the host; a refusal is an {@link IllegalArgumentException} saying what and why.
 */
public final class TunnelSettings {

    private TunnelSettings() {}

    /** The tunnel side of a server config, with the server's addresses to keep outside the tunnel. */
    public static NetworkSettings from(ServerConfig config, List<InetAddress> keepOutside) {
        ServerSettingsCheck.mtu(config.mtu());
        ServerSettingsCheck.count("addresses", config.addresses(), ServerSettingsCheck.MAX_ADDRESSES);
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (String a : config.addresses()) {
            addresses.add(ServerSettingsCheck.ownAddress(a));
        }
        List<InetAddress> servers = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        splitDns(config.dns(), servers, domains);
        return new NetworkSettings(
                addresses,
                config.mtu(),
                routes(config.routes(), config.subnets(), own(addresses)),
                servers,
                domains,
                keepOutside);
    }

    /**
     * The prefixes routed into the tunnel, which are also the server peer's allowed IPs: the routes
     * the server gives, and its tunnel subnets (so that the server's own tunnel address, often the
     * DNS server, is reachable even when the routes name only the networks behind it).
     */
    public static List<Cidr> routes(List<String> routes, List<String> subnets) {
        return routes(routes, subnets, List.of());
    }

    /** {@link #routes(List, List)}, none of which may be a host route to one of {@code own}, the client's addresses. */
    public static List<Cidr> routes(List<String> routes, List<String> subnets, List<InetAddress> own) {
        ServerSettingsCheck.count("routes", routes, ServerSettingsCheck.MAX_ROUTES);
        ServerSettingsCheck.count("subnets", subnets, ServerSettingsCheck.MAX_ADDRESSES);
        Set<Cidr> all = new LinkedHashSet<>();
        for (String r : routes) {
            all.add(ServerSettingsCheck.prefix("route", r, own));
        }
        for (String s : subnets) {
            all.add(ServerSettingsCheck.prefix("subnet", s, own));
        }
        return List.copyOf(all);
    }

    /** The addresses of {@code addresses}, for {@link #routes(List, List, List)}. */
    public static List<InetAddress> own(List<InterfaceAddress> addresses) {
        return addresses.stream().map(InterfaceAddress::address).toList();
    }

    /**
     * Splits the server's DNS list: IP literals are servers, anything else a search domain (never
     * looked up here).
     */
    public static void splitDns(List<String> dns, List<InetAddress> servers, List<String> domains) {
        ServerSettingsCheck.count("DNS entries", dns, ServerSettingsCheck.MAX_DNS);
        for (String item : dns) {
            String s = item.strip();
            InetAddress address = null;
            try {
                address = s.length() <= 64 ? InterfaceAddress.parse(s).address() : null;
            } catch (IllegalArgumentException notAnAddress) {
                // a search domain, checked below
            }
            if (address != null) {
                servers.add(ServerSettingsCheck.dnsServer(s, address));
            } else {
                domains.add(ServerSettingsCheck.searchDomain(s));
            }
        }
    }

    /** A tunnel address as the server writes it ({@code 10.8.0.2/32}); a bare address is a host address. */
    public static InterfaceAddress parseAddress(String text) {
        return ServerSettingsCheck.ownAddress(text);
    }
}
