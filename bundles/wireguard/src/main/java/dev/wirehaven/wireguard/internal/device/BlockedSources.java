package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.internal.allowedips.AllowedIps;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The source prefixes from which the device accepts no handshake message
 * ({@link dev.wirehaven.wireguard.DeviceConfigurator#blockSources}). Immutable: a configuration
 * transaction builds a new one and the device publishes it through a volatile field, so the UDP reader
 * reads one consistent set without a lock.
 *
 * <p>The prefixes live in an {@link AllowedIps} trie (longest-prefix match on two 64-bit halves, no
 * allocation per lookup, at most 33 or 129 steps); only handshake messages ask, so transport data never
 * pays for it. With no prefix the check is one volatile read and one comparison. With prefixes, the
 * source's address bytes are copied once ({@link InetAddress#getAddress}, 4 or 16 bytes: the JDK has no
 * accessor that does not copy), next to the socket address that the bind already made for the datagram.
 */
final class BlockedSources {

    /** IPv4 first, then by address bytes and prefix length: the order the snapshot reports. */
    private static final Comparator<Cidr> ORDER = Comparator.<Cidr>comparingInt(
                    c -> c.address().getAddress().length)
            .thenComparing(c -> c.address().getAddress(), Arrays::compareUnsigned)
            .thenComparingInt(Cidr::prefixLength);

    /** After {@link #ORDER}, which its construction uses. */
    static final BlockedSources NONE = new BlockedSources(List.of());

    private final List<Cidr> prefixes;
    private final AllowedIps<Boolean> trie = new AllowedIps<>();

    BlockedSources(List<Cidr> prefixes) {
        TreeSet<Cidr> sorted = new TreeSet<>(ORDER);
        for (Cidr c : prefixes) {
            sorted.add(Objects.requireNonNull(c, "prefix"));
        }
        this.prefixes = List.copyOf(sorted);
        for (Cidr c : this.prefixes) {
            trie.insert(c, Boolean.TRUE);
        }
    }

    boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** Whether a blocked prefix covers {@code source}. */
    boolean covers(InetAddress source) {
        if (prefixes.isEmpty()) {
            return false;
        }
        byte[] a = source.getAddress();
        return trie.lookup(a, 0, a.length == 16) != null;
    }

    /** The prefixes, IPv4 first, each family in address order, without duplicates. */
    List<Cidr> prefixes() {
        return prefixes;
    }
}
