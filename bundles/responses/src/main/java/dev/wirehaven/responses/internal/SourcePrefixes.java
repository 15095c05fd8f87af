package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.wireguard.IpAddresses;

/**
 * The sources that a block names: an address ({@code 192.0.2.7}) or a prefix ({@code 192.0.2.0/24},
 * {@code 2001:db8::/32}), in one canonical text form so that the same source blocked twice is one
 * target ({@code 192.0.2.7} and {@code 192.0.2.7/32} are the same block).
 */
final class SourcePrefixes {

    private SourcePrefixes() {}

    /**
     * Parses a block's target; only literals, never a name looked up in DNS.
     *
     * @throws IllegalArgumentException saying which forms a block takes
     */
    static IpPrefix parse(String target) {
        try {
            return IpPrefix.parse(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a block's target is an IP address (192.0.2.7, 2001:db8::7) or a prefix"
                    + " (192.0.2.0/24, 2001:db8::/32), not '" + Text.printable(target) + "'");
        }
    }

    /** {@code 192.0.2.7/32}, {@code 2001:db8::/32}: the host bits cleared, IPv6 in its compressed form. */
    static String canonical(IpPrefix prefix) {
        return IpAddresses.format(prefix.address()) + "/" + prefix.prefixLength();
    }

    /** True when the two prefixes share at least one address: one of them contains the other. */
    static boolean overlap(IpPrefix a, IpPrefix b) {
        if (a.isIpv4() != b.isIpv4()) {
            return false;
        }
        IpPrefix wider = a.prefixLength() <= b.prefixLength() ? a : b;
        IpPrefix narrower = wider == a ? b : a;
        return wider.contains(narrower.address());
    }
}
