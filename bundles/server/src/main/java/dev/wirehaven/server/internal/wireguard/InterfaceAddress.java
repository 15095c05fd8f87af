package dev.wirehaven.server.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;

/**
 * One address of the interface itself with the prefix of its subnet, such as {@code 10.8.0.1/24}:
 * unlike a {@link Cidr} (a route), the host part matters and is kept.
 *
 * @param host the address as the operator wrote it (an IP literal, validated)
 * @param prefixLength the subnet's prefix length
 * @param ipv4 whether it is an IPv4 address
 */
record InterfaceAddress(String host, int prefixLength, boolean ipv4) {

    /**
     * Parses {@code address/prefix}; a bare address is a host address (/32 or /128), as {@code ip}
     * and wg-quick take it.
     *
     * @throws IllegalArgumentException if the text is not an IP literal with an optional valid prefix
     */
    static InterfaceAddress parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (host.indexOf(':') < 0) {
            // The JDK looks a dotted quad with an octet over 255 up in DNS rather than refusing it;
            // a typo in a configuration file must not become a name lookup.
            for (String octet : host.split("\\.", -1)) {
                if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("not an IP address: " + host);
                }
            }
        }
        // Cidr.parse accepts only literals (never a DNS name) and checks the prefix against the family
        Cidr route = Cidr.parse(s);
        return new InterfaceAddress(host, route.prefixLength(), route.isIpv4());
    }

    /** {@code host/prefix}, the form that {@code ip address add} takes. */
    @Override
    public String toString() {
        return host + "/" + prefixLength;
    }
}
