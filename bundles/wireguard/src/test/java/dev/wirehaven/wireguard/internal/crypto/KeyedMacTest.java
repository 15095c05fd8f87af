package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link KeyedMac} against Python's {@code hashlib.blake2s(data, key=key, digest_size=16)} (an
 * implementation of its own, the vectors below) and against {@link Blake2s#mac} (BouncyCastle) for
 * every length around the block edges; and the reason it exists: no allocation per MAC.
 */
class KeyedMacTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] mac(KeyedMac mac, byte[] data) {
        byte[] out = new byte[Blake2s.MAC_LEN];
        mac.mac(data, 0, data.length, out, 0);
        return out;
    }

    /** hashlib.blake2s(bytes(range(n)), key=bytes(range(32)), digest_size=16). */
    @ParameterizedTest
    @CsvSource({
        "1, 13bacfb85b48a1223c595f8c1e7e82cb",
        "60, 02a28f10e193b430df7112d2d98cf759",
        "63, ece382a8bd5018f1de5da44b72cea75b",
        "64, f1efa90d2547036841ecd3627fafbc36",
        "65, 811ff8686d23a435ecbd0bdafcd27b1b",
        "116, 072e94ffbfc684bd8ab2a1b9dade2fd5",
        "128, 8c09f698d03eaf88abf69f8147865ef6",
        "200, 42a6f8ff590af21b512e9e088257aa34"
    })
    void matchesPythonsBlake2sWithA32ByteKey(int length, String expected) {
        KeyedMac mac = new KeyedMac();
        mac.rekey(counting(32));
        assertArrayEquals(HEX.parseHex(expected), mac(mac, counting(length)));
    }

    @Test
    void matchesPythonsBlake2sWithAOneByteKey() {
        KeyedMac mac = new KeyedMac();
        mac.rekey(new byte[] {7});
        assertArrayEquals(HEX.parseHex("66744261d6638263aa128334e5465d61"), mac(mac, counting(116)));
    }

    @Test
    void matchesBouncyCastleForEveryLengthAndKeyLength() {
        SplittableRandom random = new SplittableRandom(42);
        KeyedMac mac = new KeyedMac();
        for (int keyLength = 1; keyLength <= 32; keyLength++) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            mac.rekey(key);
            for (int length = 1; length <= 200; length++) {
                byte[] data = new byte[length + 3];
                random.nextBytes(data);
                byte[] ours = new byte[Blake2s.MAC_LEN + 2];
                mac.mac(data, 3, length, ours, 2);
                byte[] theirs = Blake2s.mac(key, data, 3, length);
                assertArrayEquals(
                        theirs,
                        java.util.Arrays.copyOfRange(ours, 2, ours.length),
                        "key length " + keyLength + ", message length " + length);
            }
        }
    }

    @Test
    void verifyAcceptsTheMacAndRejectsAnyFlippedBit() {
        KeyedMac mac = new KeyedMac();
        mac.rekey(counting(32));
        byte[] data = counting(116);
        byte[] tag = mac(mac, data);
        assertTrue(mac.verify(data, 0, data.length, tag, 0));
        for (int bit = 0; bit < 8 * tag.length; bit++) {
            tag[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(mac.verify(data, 0, data.length, tag, 0), "bit " + bit);
            tag[bit / 8] ^= (byte) (1 << (bit % 8));
        }
    }

    @Test
    void aNewKeyReplacesTheOldOneAndAClearedMacRefusesToWork() {
        KeyedMac mac = new KeyedMac();
        byte[] data = counting(116);
        mac.rekey(counting(32));
        byte[] first = mac(mac, data);
        mac.rekey(new byte[] {7});
        assertArrayEquals(HEX.parseHex("66744261d6638263aa128334e5465d61"), mac(mac, data));
        mac.rekey(counting(32));
        assertArrayEquals(first, mac(mac, data));
        mac.clear();
        assertThrows(IllegalStateException.class, () -> mac(mac, data));
        assertThrows(IllegalArgumentException.class, () -> mac.rekey(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> mac.rekey(new byte[0]));
    }

    /**
     * Why it is not BouncyCastle's digest: a flood makes a MAC1 check per datagram, and a digest that
     * allocates per MAC (about 300 bytes) fills the young generation and brings collections that stop
     * the data path. 100,000 MACs here may allocate less than what 100 of those would.
     */
    @Test
    void macsAllocateNothingOnceKeyed() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        KeyedMac mac = new KeyedMac();
        mac.rekey(counting(32));
        byte[] data = counting(148);
        byte[] tag = new byte[Blake2s.MAC_LEN];
        for (int i = 0; i < 10_000; i++) { // the JIT's own work first
            mac.mac(data, 0, 116, tag, 0);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        boolean any = false;
        for (int i = 0; i < 100_000; i++) {
            any |= mac.verify(data, 0, 116, data, 116);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertFalse(any);
        assertTrue(allocated < 30_000, "100,000 MACs allocated " + allocated + " bytes");
    }
}
