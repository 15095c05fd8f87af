package dev.wirehaven.wireguard.internal.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.wireguard.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compares the trie with a plain list scanned in full on every lookup, over random prefixes and addresses. */
class AllowedIpsDifferentialTest {

    /** The obviously correct model: every prefix with its owner, longest match by full scan. */
    private static final class NaiveTable {
        final Map<Cidr, Integer> owners = new LinkedHashMap<>();

        void insert(Cidr c, Integer peer) {
            owners.put(c, peer);
        }

        void remove(Cidr c, Integer peer) {
            owners.remove(c, peer);
        }

        void removeAll(Integer peer) {
            owners.values().removeIf(peer::equals);
        }

        Integer lookup(byte[] a) {
            Integer best = null;
            int bestLength = -1;
            for (Map.Entry<Cidr, Integer> e : owners.entrySet()) {
                Cidr c = e.getKey();
                if (c.prefixLength() > bestLength && contains(c, a)) {
                    best = e.getValue();
                    bestLength = c.prefixLength();
                }
            }
            return best;
        }

        List<Cidr> prefixes(Integer peer) {
            List<Cidr> out = new ArrayList<>();
            owners.forEach((c, p) -> {
                if (p.equals(peer)) {
                    out.add(c);
                }
            });
            return out;
        }

        static boolean contains(Cidr c, byte[] a) {
            byte[] p = c.address().getAddress();
            if (p.length != a.length) {
                return false;
            }
            int bits = p.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .shiftRight(c.prefixLength())
                    .not()
                    .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, p).and(mask).equals(new BigInteger(1, a).and(mask));
        }
    }

    /** Addresses drawn near a few bases so that random prefixes overlap and nest often. */
    private static byte[] randomAddress(Random r, byte[][] bases) {
        byte[] a = bases[r.nextInt(bases.length)].clone();
        // keep a random-length head of the base, randomise the rest
        int keep = r.nextInt(a.length * 8 + 1);
        for (int bit = keep; bit < a.length * 8; bit++) {
            if (r.nextBoolean()) {
                a[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            }
        }
        return a;
    }

    private static Cidr randomPrefix(Random r, byte[][] bases) {
        byte[] a = randomAddress(r, bases);
        try {
            return new Cidr(InetAddress.getByAddress(a), r.nextInt(a.length * 8 + 1));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[][] bases(Random r, int count, int length) {
        byte[][] out = new byte[count][length];
        for (byte[] b : out) {
            r.nextBytes(b);
        }
        return out;
    }

    @Test
    void randomInsertsRemovesAndLookupsAgreeWithANaiveList() {
        for (long seed = 1; seed <= 6; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random r = new Random(seed);
        byte[][] v4 = bases(r, 4, 4);
        byte[][] v6 = bases(r, 4, 16);
        AllowedIps<Integer> trie = new AllowedIps<>();
        NaiveTable naive = new NaiveTable();
        int peers = 40;
        for (int op = 0; op < 3000; op++) {
            byte[][] bases = r.nextBoolean() ? v4 : v6;
            int kind = r.nextInt(20);
            Integer peer = r.nextInt(peers);
            if (kind < 15) {
                Cidr c = randomPrefix(r, bases);
                trie.insert(c, peer);
                naive.insert(c, peer);
            } else if (kind < 19) {
                // remove an existing prefix (right or wrong owner) or a random absent one
                List<Cidr> present = new ArrayList<>(naive.owners.keySet());
                Cidr c = present.isEmpty() || r.nextInt(4) == 0
                        ? randomPrefix(r, bases)
                        : present.get(r.nextInt(present.size()));
                Integer owner = naive.owners.get(c);
                Integer who = owner != null && r.nextInt(3) > 0 ? owner : peer;
                trie.remove(c, who);
                naive.remove(c, who);
            } else {
                trie.removeAll(peer);
                naive.removeAll(peer);
            }
            if (op % 100 == 99) {
                compareLookups(r, trie, naive, v4, v6, seed, op);
                comparePrefixes(trie, naive, peers, seed, op);
            }
        }
    }

    private static void compareLookups(
            Random r, AllowedIps<Integer> trie, NaiveTable naive, byte[][] v4, byte[][] v6, long seed, int op) {
        List<Cidr> present = new ArrayList<>(naive.owners.keySet());
        for (int i = 0; i < 400; i++) {
            byte[] a;
            if (i % 4 == 0 && !present.isEmpty()) {
                // exactly the first address of an existing prefix: the boundary case
                a = present.get(r.nextInt(present.size())).address().getAddress();
            } else {
                a = randomAddress(r, r.nextBoolean() ? v4 : v6);
            }
            // at an offset inside a larger buffer, as on the packet path
            byte[] packet = new byte[a.length + 24];
            r.nextBytes(packet);
            System.arraycopy(a, 0, packet, 12, a.length);
            assertEquals(
                    naive.lookup(a),
                    trie.lookup(packet, 12, a.length == 16),
                    () -> "seed " + seed + " op " + op + " address " + hexOf(a));
        }
    }

    private static void comparePrefixes(AllowedIps<Integer> trie, NaiveTable naive, int peers, long seed, int op) {
        Comparator<Cidr> order = Comparator.comparing((Cidr c) -> c.address().getAddress().length)
                .thenComparing(c -> new BigInteger(1, c.address().getAddress()))
                .thenComparingInt(Cidr::prefixLength);
        for (int p = 0; p < peers; p++) {
            List<Cidr> expected = naive.prefixes(p);
            expected.sort(order);
            assertEquals(expected, trie.prefixes(p), "seed " + seed + " op " + op + " peer " + p);
        }
    }

    private static String hexOf(byte[] a) {
        StringBuilder sb = new StringBuilder();
        for (byte b : a) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
