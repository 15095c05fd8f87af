package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.IpAddresses;
import java.net.InetAddress;

/**
 * An interface address with its prefix length, as in {@code Address = 10.0.0.2/24} or
 * {@code ip address add 10.8.0.1/24}. Unlike a {@link Cidr} (a route) the host bits are kept:
 * they are the interface's own address, the prefix only says which subnet is on-link.
 */
public record InterfaceAddress(InetAddress address, int prefixLength) {

    public InterfaceAddress {
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
    }

    /**
     * Parses {@code address/prefix}; a bare address is a host address (/32 or /128), as {@code ip}
     * and wg-quick take it. Only IP literals are accepted, never a name to look up: a typo in a
     * configuration file must not become a DNS query.
     *
     * @throws IllegalArgumentException if the text is not an IP literal with an optional valid prefix
     */
    public static InterfaceAddress parse(String text) {
        return WgQuickValues.interfaceAddress(text.strip());
    }

    /** The on-link subnet, host bits cleared. */
    public Cidr subnet() {
        return new Cidr(address, prefixLength);
    }

    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    /** The wg-quick and {@code ip} spelling, {@code 10.0.0.2/24} or {@code fd00::2/64}. */
    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }
}
