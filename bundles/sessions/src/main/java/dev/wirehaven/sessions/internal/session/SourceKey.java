package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The source that per-client limits are kept under: an IPv4 address as it is, an IPv6 address by its
 * /64, because one host or home usually owns a whole /64 and could otherwise take a fresh address for
 * every attempt. The failed-login throttle and the connection request limits both count by it.
 *
 * <p>The WireGuard data plane keys its handshake rate limiter the same way
 * ({@code dev.wirehaven.wireguard.internal.ratelimiter.RateLimiter}), but keeps its key private to an
 * unexported package and as a number; the session layer wants text that it can also store and show.
 */
final class SourceKey {

    /** The IPv6 prefix length that counts as one source. */
    static final int IPV6_PREFIX = 64;

    private SourceKey() {}

    /** {@code 198.51.100.7}, or {@code 2001:db8:1:2::/64} for any address in that /64. */
    static String of(InetAddress address) {
        if (address instanceof Inet6Address) {
            return Prefixes.text(new IpPrefix(address, IPV6_PREFIX));
        }
        return address.getHostAddress();
    }
}
