package dev.wirehaven.api.control;

import java.time.Instant;
import java.util.List;

/**
 * Server to client ({@code GET /api/v1/sessions/{id}/policy?after=N}, a long poll): the policy that
 * the client applies now. Versions only grow; the client acknowledges each one it applied.
 *
 * @param version this policy's version, greater than any before for the session
 * @param routes the prefixes to route into the tunnel, replacing the ones before
 * @param dns DNS servers and search domains, replacing the ones before
 * @param persistentKeepalive persistent keepalive in seconds, 0 for off
 * @param reauthenticateBy when the client must re-authenticate to keep the session
 * @param gateways the other gateway nodes that hold this session's peer now, in the order the client
 *        should try them, replacing the list before (nodes join and leave); see
 *        {@link ServerConfig#gateways()}; empty on a single node and from servers before 1.2
 */
public record PolicyUpdate(
        long version,
        List<String> routes,
        List<String> dns,
        int persistentKeepalive,
        Instant reauthenticateBy,
        List<Gateway> gateways) {

    /** Validates. */
    public PolicyUpdate {
        Messages.notNegative("version", version);
        routes = Messages.list("routes", routes);
        dns = Messages.list("dns", dns);
        gateways = Gateway.list(gateways);
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
            throw new IllegalArgumentException("persistentKeepalive " + persistentKeepalive + " is outside 0..65535");
        }
    }

    /** A policy update without other gateways (a single node, or a server before 1.2). */
    public PolicyUpdate(
            long version, List<String> routes, List<String> dns, int persistentKeepalive, Instant reauthenticateBy) {
        this(version, routes, dns, persistentKeepalive, reauthenticateBy, List.of());
    }
}
