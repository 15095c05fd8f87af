package dev.wirehaven.wireguard.internal.allowedips;

import dev.wirehaven.wireguard.Cidr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cryptokey routing (whitepaper §2): the table from IP prefixes to the peer that owns them. Sending, it
 * picks the peer for a packet's destination; receiving, it checks that a decrypted packet's source
 * belongs to the peer whose key opened it. Both ask for the longest matching prefix.
 *
 * <p>One path-compressed binary trie per address family: a node holds a prefix, the peer that owns
 * exactly that prefix (or none, for a node that only joins two branches) and two children split on the
 * first bit after the prefix. Addresses are held as two 64-bit halves, left-aligned, so IPv4 (32 bits)
 * and IPv6 (128 bits) share the code and a lookup never allocates.
 *
 * <p>Lookups run on the packet path from several threads at once while configuration changes are rare,
 * so the trie is immutable: a change copies the path from the root to the changed node and publishes
 * the new root through a volatile field. A lookup reads one root and walks final fields, so it needs no
 * lock and always sees one consistent version. Writers serialize on the instance. Cost of a change: a
 * copy of at most 129 nodes, plus a full rebuild for {@link #removeAll}.
 *
 * <p>Peers are compared with {@link Object#equals}; they are usually identity-compared peer objects.
 *
 * @param <T> the peer type
 */
public final class AllowedIps<T> {

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private volatile Node<T> ipv4;
    private volatile Node<T> ipv6;

    /**
     * The peer that owns the longest prefix containing the address at {@code buf[off..off+4)} (IPv4) or
     * {@code buf[off..off+16)} (IPv6), or null if none does. Lock-free; allocates nothing.
     */
    public T lookup(byte[] buf, int off, boolean ipv6) {
        if (ipv6) {
            return find(this.ipv6, (long) LONG_BE.get(buf, off), (long) LONG_BE.get(buf, off + 8));
        }
        return find(this.ipv4, ((long) (int) INT_BE.get(buf, off)) << 32, 0);
    }

    /** Makes {@code peer} the owner of exactly {@code prefix}, taking it from any previous owner. */
    public synchronized void insert(Cidr prefix, T peer) {
        Objects.requireNonNull(peer, "peer");
        Key k = Key.of(prefix);
        if (k.v6) {
            ipv6 = insert(ipv6, k.hi, k.lo, k.bits, peer);
        } else {
            ipv4 = insert(ipv4, k.hi, k.lo, k.bits, peer);
        }
    }

    /** Removes exactly {@code prefix} if {@code peer} owns it; otherwise changes nothing. */
    public synchronized void remove(Cidr prefix, T peer) {
        Objects.requireNonNull(peer, "peer");
        Key k = Key.of(prefix);
        if (k.v6) {
            ipv6 = remove(ipv6, k.hi, k.lo, k.bits, peer);
        } else {
            ipv4 = remove(ipv4, k.hi, k.lo, k.bits, peer);
        }
    }

    /** Removes every prefix that {@code peer} owns. */
    public synchronized void removeAll(T peer) {
        Objects.requireNonNull(peer, "peer");
        ipv4 = strip(ipv4, peer);
        ipv6 = strip(ipv6, peer);
    }

    /** The prefixes {@code peer} owns: IPv4 first, then IPv6, each in address order. */
    public List<Cidr> prefixes(T peer) {
        List<Cidr> out = new ArrayList<>();
        collect(ipv4, peer, false, out);
        collect(ipv6, peer, true, out);
        return out;
    }

    /**
     * Every peer's prefixes, as {@link #prefixes} gives them, in one walk of the tries: a device
     * snapshot of N peers costs one walk instead of N.
     */
    public Map<T, List<Cidr>> prefixesByPeer() {
        Map<T, List<Cidr>> out = new HashMap<>();
        collectAll(ipv4, false, out);
        collectAll(ipv6, true, out);
        return out;
    }

    /**
     * Every prefix that overlaps {@code prefix} with its owner: those that contain it (less specific or
     * equal) and those within it (more specific), shortest first. One walk down the trie to the
     * prefix, then its subtree. For configuration (it allocates), not for the packet path.
     */
    public List<Map.Entry<Cidr, T>> overlapping(Cidr prefix) {
        Key k = Key.of(prefix);
        long mHi = maskHi(k.bits);
        long mLo = maskLo(k.bits);
        List<Map.Entry<Cidr, T>> out = new ArrayList<>();
        Node<T> n = k.v6 ? ipv6 : ipv4;
        while (n != null) {
            if (n.bits >= k.bits) {
                // n and everything below it are at least as long as the prefix: inside it, or disjoint
                if (((n.hi ^ k.hi) & mHi) == 0 && ((n.lo ^ k.lo) & mLo) == 0) {
                    collectEntries(n, k.v6, out);
                }
                break;
            }
            if (!n.contains(k.hi, k.lo)) {
                break; // the prefix leaves n's branch: nothing below n overlaps it
            }
            if (n.peer != null) {
                out.add(Map.entry(toCidr(n, k.v6), n.peer));
            }
            n = n.child(bitAt(k.hi, k.lo, n.bits));
        }
        return out;
    }

    private static <T> void collectEntries(Node<T> n, boolean v6, List<Map.Entry<Cidr, T>> out) {
        if (n == null) {
            return;
        }
        if (n.peer != null) {
            out.add(Map.entry(toCidr(n, v6), n.peer));
        }
        collectEntries(n.zero, v6, out);
        collectEntries(n.one, v6, out);
    }

    private static <T> void collectAll(Node<T> n, boolean v6, Map<T, List<Cidr>> out) {
        if (n == null) {
            return;
        }
        if (n.peer != null) {
            out.computeIfAbsent(n.peer, p -> new ArrayList<>()).add(toCidr(n, v6));
        }
        collectAll(n.zero, v6, out);
        collectAll(n.one, v6, out);
    }

    // ---- the trie -------------------------------------------------------------------------------

    private static final class Node<T> {
        final long hi;
        final long lo;
        final long maskHi;
        final long maskLo;
        final int bits;
        final T peer;
        final Node<T> zero;
        final Node<T> one;

        Node(long hi, long lo, int bits, T peer, Node<T> zero, Node<T> one) {
            this.maskHi = maskHi(bits);
            this.maskLo = maskLo(bits);
            this.hi = hi & maskHi;
            this.lo = lo & maskLo;
            this.bits = bits;
            this.peer = peer;
            this.zero = zero;
            this.one = one;
        }

        boolean contains(long aHi, long aLo) {
            return ((aHi ^ hi) & maskHi) == 0 && ((aLo ^ lo) & maskLo) == 0;
        }

        Node<T> child(int bit) {
            return bit == 0 ? zero : one;
        }

        Node<T> withChild(int bit, Node<T> c) {
            return bit == 0 ? new Node<>(hi, lo, bits, peer, c, one) : new Node<>(hi, lo, bits, peer, zero, c);
        }
    }

    private static <T> T find(Node<T> n, long hi, long lo) {
        T best = null;
        while (n != null && n.contains(hi, lo)) {
            if (n.peer != null) {
                best = n.peer;
            }
            n = n.child(bitAt(hi, lo, n.bits));
        }
        return best;
    }

    private static <T> Node<T> insert(Node<T> n, long hi, long lo, int bits, T peer) {
        if (n == null) {
            return new Node<>(hi, lo, bits, peer, null, null);
        }
        int common = Math.min(commonLength(n.hi, n.lo, hi, lo), Math.min(n.bits, bits));
        if (common == n.bits) {
            if (bits == n.bits) {
                return new Node<>(n.hi, n.lo, bits, peer, n.zero, n.one);
            }
            int b = bitAt(hi, lo, n.bits);
            return n.withChild(b, insert(n.child(b), hi, lo, bits, peer));
        }
        if (common == bits) {
            // the new prefix contains n: it takes n's place with n below it
            return bitAt(n.hi, n.lo, bits) == 0
                    ? new Node<>(hi, lo, bits, peer, n, null)
                    : new Node<>(hi, lo, bits, peer, null, n);
        }
        Node<T> leaf = new Node<>(hi, lo, bits, peer, null, null);
        return bitAt(hi, lo, common) == 0
                ? new Node<>(hi, lo, common, null, leaf, n)
                : new Node<>(hi, lo, common, null, n, leaf);
    }

    private static <T> Node<T> remove(Node<T> n, long hi, long lo, int bits, T peer) {
        if (n == null || bits < n.bits || !n.contains(hi, lo)) {
            return n;
        }
        if (bits == n.bits) {
            return peer.equals(n.peer) ? joined(n, null, n.zero, n.one) : n;
        }
        int b = bitAt(hi, lo, n.bits);
        Node<T> c = n.child(b);
        Node<T> after = remove(c, hi, lo, bits, peer);
        if (after == c) {
            return n;
        }
        return b == 0 ? joined(n, n.peer, after, n.one) : joined(n, n.peer, n.zero, after);
    }

    private static <T> Node<T> strip(Node<T> n, T peer) {
        if (n == null) {
            return null;
        }
        Node<T> zero = strip(n.zero, peer);
        Node<T> one = strip(n.one, peer);
        T owner = peer.equals(n.peer) ? null : n.peer;
        if (zero == n.zero && one == n.one && owner == n.peer) {
            return n;
        }
        return joined(n, owner, zero, one);
    }

    /**
     * A node like {@code n} with the given owner and children, or nothing / its single child when it no
     * longer owns a prefix: a peerless node exists only where it joins two branches.
     */
    private static <T> Node<T> joined(Node<T> n, T peer, Node<T> zero, Node<T> one) {
        if (peer == null) {
            if (zero == null) {
                return one;
            }
            if (one == null) {
                return zero;
            }
        }
        return new Node<>(n.hi, n.lo, n.bits, peer, zero, one);
    }

    private static <T> void collect(Node<T> n, T peer, boolean v6, List<Cidr> out) {
        if (n == null) {
            return;
        }
        if (n.peer != null && n.peer.equals(peer)) {
            out.add(toCidr(n, v6));
        }
        collect(n.zero, peer, v6, out);
        collect(n.one, peer, v6, out);
    }

    // ---- bits -----------------------------------------------------------------------------------

    /** Bit {@code i} (0 = most significant) of the 128-bit value; 0 past the end. */
    private static int bitAt(long hi, long lo, int i) {
        if (i < 64) {
            return (int) (hi >>> (63 - i)) & 1;
        }
        return i < 128 ? (int) (lo >>> (127 - i)) & 1 : 0;
    }

    private static int commonLength(long aHi, long aLo, long bHi, long bLo) {
        long x = aHi ^ bHi;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        x = aLo ^ bLo;
        return x != 0 ? 64 + Long.numberOfLeadingZeros(x) : 128;
    }

    private static long maskHi(int bits) {
        return bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static long maskLo(int bits) {
        return bits <= 64 ? 0 : -1L << (128 - bits);
    }

    private static Cidr toCidr(Node<?> n, boolean v6) {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            LONG_BE.set(b, 0, n.hi);
            LONG_BE.set(b, 8, n.lo);
        } else {
            INT_BE.set(b, 0, (int) (n.hi >>> 32));
        }
        try {
            return new Cidr(InetAddress.getByAddress(b), n.bits);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** A prefix as left-aligned halves. */
    private record Key(long hi, long lo, int bits, boolean v6) {
        static Key of(Cidr c) {
            byte[] a = c.address().getAddress();
            if (a.length == 16) {
                return new Key((long) LONG_BE.get(a, 0), (long) LONG_BE.get(a, 8), c.prefixLength(), true);
            }
            return new Key(((long) (int) INT_BE.get(a, 0)) << 32, 0, c.prefixLength(), false);
        }
    }
}
