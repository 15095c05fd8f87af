package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.wireguard.IpAddresses;

/**
 * Addresses and prefixes from clients and configuration, over {@link IpPrefix} (whose parser takes
 * literals only, so that no input ever causes a DNS lookup): the questions the flow asks of them.
 */
final class Prefixes {

    private Prefixes() {}

    /**
     * {@code address/length}, or a bare address as a host prefix.
     *
     * @throws IllegalArgumentException when the text is not a literal IP prefix
     */
    static IpPrefix parse(String text) {
        return IpPrefix.parse(text);
    }

    /** True when {@code text} is a literal IP address without a length. */
    static boolean isAddress(String text) {
        if (text.contains("/")) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code address/length} with the address as RFC 5952 writes it (compressed IPv6), as {@code wg} shows it. */
    static String text(IpPrefix prefix) {
        return IpAddresses.format(prefix.address()) + "/" + prefix.prefixLength();
    }

    /** True when the two prefixes share an address. */
    static boolean overlap(IpPrefix a, IpPrefix b) {
        return a.isIpv4() == b.isIpv4() && (a.contains(b.address()) || b.contains(a.address()));
    }
}
