package dev.wirehaven.api.control;

import java.util.List;
import java.util.Objects;

/**
 * Step 5, server to client ({@code GET /api/v1/sessions/{id}/server-config}): what the client needs
 * to configure its side of the tunnel, like the {@code [Interface]} and {@code [Peer]} sections of a
 * stock client config.
 *
 * @param serverPublicKey the server's WireGuard public key
 * @param endpoint the server's WireGuard endpoint as {@code host:port} (IPv6 in brackets)
 * @param addresses the client's tunnel addresses with prefix, such as {@code 10.8.0.2/32}
 * @param subnets the tunnel subnets the server serves, such as {@code 10.8.0.0/24}
 * @param dns DNS servers (addresses) and search domains (names) for the client; may be empty
 * @param mtu the tunnel MTU the client should use
 * @param routes the prefixes the client routes into the tunnel (its AllowedIPs for the server);
 *        {@code 0.0.0.0/0} and {@code ::/0} mean a full tunnel
 * @param persistentKeepalive the client's persistent keepalive in seconds, 0 for off
 * @param presharedKey the preshared key of this session, fresh per session
 * @param gateways the other gateway nodes of the cluster that hold this session's peer too, in the
 *        order the client should try them when this one stops answering (at most
 *        {@value Gateway#MAX_PER_MESSAGE}); empty on a single node and from servers before 1.2
 */
public record ServerConfig(
        String serverPublicKey,
        String endpoint,
        List<String> addresses,
        List<String> subnets,
        List<String> dns,
        int mtu,
        List<String> routes,
        int persistentKeepalive,
        String presharedKey,
        List<Gateway> gateways) {

    /** Validates. */
    public ServerConfig {
        serverPublicKey = Messages.key("serverPublicKey", serverPublicKey);
        Objects.requireNonNull(endpoint, "endpoint");
        addresses = Messages.list("addresses", addresses);
        subnets = Messages.list("subnets", subnets);
        dns = Messages.list("dns", dns);
        routes = Messages.list("routes", routes);
        presharedKey = Messages.optionalKey("presharedKey", presharedKey);
        gateways = Gateway.list(gateways);
        if (mtu < 1280 || mtu > 65535) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside 1280..65535");
        }
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
            throw new IllegalArgumentException("persistentKeepalive " + persistentKeepalive + " is outside 0..65535");
        }
    }

    /** A server config without other gateways (a single node, or a server before 1.2). */
    public ServerConfig(
            String serverPublicKey,
            String endpoint,
            List<String> addresses,
            List<String> subnets,
            List<String> dns,
            int mtu,
            List<String> routes,
            int persistentKeepalive,
            String presharedKey) {
        this(
                serverPublicKey,
                endpoint,
                addresses,
                subnets,
                dns,
                mtu,
                routes,
                persistentKeepalive,
                presharedKey,
                List.of());
    }

    /** Hides the preshared key. */
    @Override
    public String toString() {
        return "ServerConfig[endpoint=" + endpoint + ", addresses=" + addresses + ", routes=" + routes + ", gateways="
                + gateways.stream().map(Gateway::name).toList() + "]";
    }
}
