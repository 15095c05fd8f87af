package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every transport cipher implementation on this machine (jdk, bc, and libsodium and OpenSSL where
 * installed) against every other: the same sealed bytes for random keys, counters (0 and 2^64-1
 * among them), every length from 0 to 1500 and random offsets in a buffer with bytes around the
 * packet that must not change; each opens what every other sealed; a flipped bit anywhere in
 * ciphertext or tag is refused by all, with the buffer left as it was.
 */
class NativeTransportCipherTest {

    private static final int TAG = 16;

    private static List<TransportCipher> all() {
        List<TransportCipher> ciphers = new ArrayList<>();
        for (String n : NativeLibrariesPresent.implementations()) {
            ciphers.add(TransportCiphers.create(n));
        }
        return ciphers;
    }

    @Test
    void onThisMachineTheNativeImplementationsAreUnderTest() {
        // libsodium23 and libssl3 are installed on the build machines: a silent skip would hide a broken binding
        List<String> names = new ArrayList<>();
        for (TransportCipher c : all()) {
            names.add(c.name());
        }
        for (String n : List.of("sodium", "openssl")) {
            if (NativeLibrariesPresent.opens(n)) {
                assertTrue(names.contains(n), n);
            }
        }
    }

    @Test
    void allImplementationsSealToTheSameBytesAndOpenEachOther() {
        List<TransportCipher> ciphers = all();
        SplittableRandom r = new SplittableRandom(8439_1305);
        for (int len = 0; len <= 1500; len++) {
            TransportKey key = randomKey(r);
            long counter = len == 0 ? 0 : len == 1 ? -1L : len == 2 ? Long.MIN_VALUE : r.nextLong();
            byte[] plain = new byte[len];
            r.nextBytes(plain);
            int off = r.nextInt(64);
            byte[] template = new byte[off + len + TAG + r.nextInt(32)];
            r.nextBytes(template);
            System.arraycopy(plain, 0, template, off, len);

            byte[] first = null;
            List<byte[]> sealed = new ArrayList<>();
            for (TransportCipher c : ciphers) {
                byte[] b = template.clone();
                assertEquals(len + TAG, c.seal(key, counter, b, off, len), c.name());
                if (first == null) {
                    first = b;
                } else {
                    assertArrayEquals(
                            first,
                            b,
                            c.name() + " sealed other bytes than "
                                    + ciphers.get(0).name() + ", length " + len + ", offset " + off);
                }
                sealed.add(b);
            }
            for (int i = 0; i < ciphers.size(); i++) {
                for (TransportCipher opener : ciphers) {
                    byte[] b = sealed.get(i).clone();
                    assertEquals(
                            len,
                            opener.open(key, counter, b, off, len + TAG),
                            opener.name() + " opens " + ciphers.get(i).name() + "'s, length " + len);
                    byte[] expected = sealed.get(i).clone();
                    System.arraycopy(plain, 0, expected, off, len);
                    assertArrayEquals(expected, b, opener.name() + " opened to other bytes, length " + len);
                }
            }
        }
    }

    @Test
    void aFlippedBitIsRefusedByAllAndTheBufferLeftAsItWas() {
        List<TransportCipher> ciphers = all();
        SplittableRandom r = new SplittableRandom(20);
        for (int len : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 511, 512, 513, 1420, 1500}) {
            TransportKey key = randomKey(r);
            long counter = r.nextLong();
            int off = r.nextInt(48);
            byte[] sealed = new byte[off + len + TAG + 8];
            r.nextBytes(sealed);
            ciphers.get(0).seal(key, counter, sealed, off, len);
            int[] flips = {off, off + len / 2, off + Math.max(0, len - 1), off + len, off + len + TAG - 1};
            for (int flip : flips) {
                byte[] forged = sealed.clone();
                forged[flip] ^= (byte) (1 << r.nextInt(8));
                for (TransportCipher c : ciphers) {
                    byte[] b = forged.clone();
                    assertEquals(-1, c.open(key, counter, b, off, len + TAG), c.name() + " length " + len);
                    assertArrayEquals(forged, b, c.name() + " changed a refused packet, length " + len);
                }
            }
            for (TransportCipher c : ciphers) {
                byte[] b = sealed.clone();
                assertEquals(-1, c.open(key, counter + 1, b, off, len + TAG), c.name() + " wrong counter");
                assertArrayEquals(sealed, b, c.name());
                assertEquals(-1, c.open(key, counter, b, off, TAG - 1), c.name() + " shorter than a tag");
                assertArrayEquals(sealed, b, c.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sodium", "openssl"})
    void aPacketLargerThanTheNativeBlockGrowsItAndStillMatches(String impl) {
        NativeLibrariesPresent.assumePresent(impl);
        TransportCipher n = TransportCiphers.create(impl);
        TransportCipher bc = TransportCiphers.create("bc");
        SplittableRandom r = new SplittableRandom(65535);
        for (int len : new int[] {100, 4096, 65535, 100}) {
            TransportKey key = randomKey(r);
            byte[] a = new byte[16 + len + TAG];
            r.nextBytes(a);
            byte[] b = a.clone();
            n.seal(key, len, a, 16, len);
            bc.seal(key, len, b, 16, len);
            assertArrayEquals(b, a, impl + " length " + len);
            assertEquals(len, n.open(key, len, a, 16, len + TAG));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sodium", "openssl"})
    void alternatingKeysAndDirectionsDoNotLeakIntoEachOther(String impl) {
        NativeLibrariesPresent.assumePresent(impl);
        TransportCipher n = TransportCiphers.create(impl);
        TransportCipher bc = TransportCiphers.create("bc");
        SplittableRandom r = new SplittableRandom(7);
        TransportKey[] keys = {randomKey(r), randomKey(r), randomKey(r)};
        for (int i = 0; i < 300; i++) {
            TransportKey key = keys[r.nextInt(keys.length)];
            long counter = r.nextInt(4);
            int len = r.nextInt(1500);
            byte[] a = new byte[len + TAG];
            r.nextBytes(a);
            byte[] b = a.clone();
            if (r.nextBoolean()) {
                n.seal(key, counter, a, 0, len);
                bc.seal(key, counter, b, 0, len);
                assertArrayEquals(b, a);
            } else {
                bc.seal(key, counter, a, 0, len);
                byte[] plain = Arrays.copyOf(b, len);
                assertEquals(len, n.open(key, counter, a, 0, len + TAG));
                assertArrayEquals(plain, Arrays.copyOf(a, len));
            }
        }
    }

    private static TransportKey randomKey(SplittableRandom r) {
        byte[] k = new byte[32];
        r.nextBytes(k);
        return new TransportKey(k);
    }
}
