package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.api.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The tunnel addresses leased to one session, each with the pool (subnet) it came from. The pool is
 * kept with the address so that cleanup releases the lease in the pool that granted it, even when
 * the operator has changed the configured subnets since.
 *
 * @param v4 the IPv4 address as {@link InetAddress#getHostAddress()} writes it, or null
 * @param poolV4 the subnet of {@code v4} in {@code address/length} notation, or null
 * @param v6 the IPv6 address, or null
 * @param poolV6 the subnet of {@code v6}, or null
 */
public record TunnelAddresses(String v4, String poolV4, String v6, String poolV6) {

    public static final TunnelAddresses NONE = new TunnelAddresses(null, null, null, null);

    public TunnelAddresses {
        if ((v4 == null) != (poolV4 == null) || (v6 == null) != (poolV6 == null)) {
            throw new IllegalArgumentException("an address needs its pool and a pool its address");
        }
    }

    /** True before anything was leased. */
    public boolean isEmpty() {
        return v4 == null && v6 == null;
    }

    /** The addresses, IPv4 first. */
    public List<InetAddress> addresses() {
        List<InetAddress> list = new ArrayList<>(2);
        if (v4 != null) {
            list.add(IpPrefix.parse(v4).address());
        }
        if (v6 != null) {
            list.add(IpPrefix.parse(v6).address());
        }
        return list;
    }

    /** The addresses as host prefixes ({@code 10.8.0.2/32}, {@code fd00::2/128}), IPv4 first. */
    public List<IpPrefix> hostPrefixes() {
        return addresses().stream().map(IpPrefix::host).toList();
    }
}
