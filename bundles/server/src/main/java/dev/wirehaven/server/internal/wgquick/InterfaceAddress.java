package dev.wirehaven.server.internal.wgquick;

import dev.wirehaven.wireguard.IpAddresses;
import java.net.InetAddress;

import dev.wirehaven.wireguard.Cidr;

/**
 * An interface address with its prefix length, as in {@code Address = 10.0.0.2/24}. Unlike a
 * {@link Cidr} the host bits are kept: they are the interface's own address, the prefix only says
 * which subnet is on-link.
 */
public record InterfaceAddress(InetAddress address, int prefixLength) {

    public InterfaceAddress {
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + max);
        }
    }

    /** The on-link subnet, host bits cleared. */
    public Cidr subnet() {
        return new Cidr(address, prefixLength);
    }

    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    /** The wg-quick spelling, {@code 10.0.0.2/24} or {@code fd00::2/64}. */
    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + prefixLength;
    }
}
