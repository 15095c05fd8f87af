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

/** The server config and policy updates in the client's own types: prefixes, addresses, DNS. */
public final class TunnelSettings {

    private TunnelSettings() {}

    /** The tunnel side of a server config, with the server's addresses to keep outside the tunnel. */
    public static NetworkSettings from(ServerConfig config, List<InetAddress> keepOutside) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (String a : config.addresses()) {
            addresses.add(parseAddress(a));
        }
        List<InetAddress> servers = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        splitDns(config.dns(), servers, domains);
        return new NetworkSettings(
                addresses, config.mtu(), routes(config.routes(), config.subnets()), servers, domains, keepOutside);
    }

    /**
     * The prefixes routed into the tunnel, which are also the server peer's allowed IPs: the routes
     * the server gives, and its tunnel subnets (so that the server's own tunnel address, often the
     * DNS server, is reachable even when the routes name only the networks behind it).
     */
    public static List<Cidr> routes(List<String> routes, List<String> subnets) {
        Set<Cidr> all = new LinkedHashSet<>();
        for (String r : routes) {
            all.add(parsePrefix("route", r));
        }
        for (String s : subnets) {
            all.add(parsePrefix("subnet", s));
        }
        return List.copyOf(all);
    }

    /**
     * Splits the server's DNS list: IP literals are servers, anything else a search domain (never
     * looked up here).
     */
    public static void splitDns(List<String> dns, List<InetAddress> servers, List<String> domains) {
        for (String item : dns) {
            String s = item.strip();
            try {
                servers.add(InterfaceAddress.parse(s).address());
            } catch (IllegalArgumentException notAnAddress) {
                if (!s.matches("[A-Za-z0-9_.-]{1,253}")) {
                    throw new IllegalArgumentException(
                            "the server's DNS entry '" + s + "' is neither an address nor a domain");
                }
                domains.add(s);
            }
        }
    }

    /** A tunnel address as the server writes it ({@code 10.8.0.2/32}); a bare address is a host address. */
    public static InterfaceAddress parseAddress(String text) {
        try {
            return InterfaceAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the server's tunnel address '" + text + "' is not an address/prefix", e);
        }
    }

    private static Cidr parsePrefix(String what, String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the server's " + what + " '" + text + "' is not an IP prefix", e);
        }
    }
}
