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
 * @param gateway the gateway node that carries this session's tunnel (its endpoint and public key are
 *        {@code endpoint} and {@code serverPublicKey}), with its name and its control API: on a cluster
 *        the node whose control API answered may place the tunnel on another node, and the client then
 *        sends its control calls to that node's {@link Gateway#controlUrl()}, so that one node's loss
 *        costs the client one gateway, not a tunnel and a control API on two; null when the node has no
 *        control URL of its own (a single node) and from servers before 1.3
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
        List<Gateway> gateways,
        Gateway gateway) {

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
        if (gateway != null
                && !(gateway.endpoint().equals(endpoint) && gateway.publicKey().equals(serverPublicKey))) {
            throw new IllegalArgumentException(
                    "gateway " + gateway.name() + " is not the endpoint and key of this config");
        }
        if (mtu < 1280 || mtu > 65535) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside 1280..65535");
        }
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
            throw new IllegalArgumentException("persistentKeepalive " + persistentKeepalive + " is outside 0..65535");
        }
    }

    /** A server config without the carrying gateway's name and control API (a server before 1.3). */
    public ServerConfig(
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
                gateways,
                null);
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
                List.of(),
                null);
    }

    /** Hides the preshared key. */
    @Override
    public String toString() {
        return "ServerConfig[endpoint=" + endpoint + ", addresses=" + addresses + ", routes=" + routes + ", gateway="
                + (gateway == null ? null : gateway.name()) + ", gateways="
                + gateways.stream().map(Gateway::name).toList() + "]";
    }
}
