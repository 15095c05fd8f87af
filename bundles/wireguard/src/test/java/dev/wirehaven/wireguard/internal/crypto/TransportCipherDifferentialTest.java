package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two transport AEADs against each other: the JDK's ChaCha20-Poly1305 and the BouncyCastle
 * composition must produce the same bytes for every length (every padding case, the 64-byte block
 * edges, a full 1420-byte packet) and open each other's packets, in place at the offset the device
 * uses. The known-answer vectors are in {@link CryptoKnownAnswerTest}.
 */
class TransportCipherDifferentialTest {

    private static final int HEADER = 16;
    private static final int TAG = 16;

    private static int[] lengths() {
        int[] l = new int[300];
        for (int i = 0; i < 290; i++) {
            l[i] = i;
        }
        int[] more = {511, 512, 513, 1023, 1024, 1025, 1419, 1420, 1500, 4096};
        System.arraycopy(more, 0, l, 290, more.length);
        return l;
    }

    @Test
    void bothImplementationsSealToTheSameBytesAndOpenEachOther() {
        TransportCipher jdk = TransportCiphers.create("jdk");
        TransportCipher bc = TransportCiphers.create("bc");
        SplittableRandom r = new SplittableRandom(8439);
        for (int len : lengths()) {
            byte[] k = new byte[32];
            r.nextBytes(k);
            TransportKey key = new TransportKey(k);
            long counter = r.nextLong() >>> 1;
            byte[] plain = new byte[len];
            r.nextBytes(plain);

            byte[] a = packet(plain);
            byte[] b = packet(plain);
            assertEquals(len + TAG, jdk.seal(key, counter, a, HEADER, len));
            assertEquals(len + TAG, bc.seal(key, counter, b, HEADER, len));
            assertArrayEquals(a, b, "sealed bytes differ at length " + len);

            assertEquals(len, bc.open(key, counter, a, HEADER, len + TAG), "bc opens jdk's, length " + len);
            assertEquals(len, jdk.open(key, counter, b, HEADER, len + TAG), "jdk opens bc's, length " + len);
            assertArrayEquals(plain, Arrays.copyOfRange(a, HEADER, HEADER + len));
            assertArrayEquals(plain, Arrays.copyOfRange(b, HEADER, HEADER + len));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "bc"})
    void aForgedPacketIsRefusedAndLeftAsItWas(String impl) {
        TransportCipher c = TransportCiphers.create(impl);
        SplittableRandom r = new SplittableRandom(1305);
        byte[] k = new byte[32];
        r.nextBytes(k);
        TransportKey key = new TransportKey(k);
        for (int len : new int[] {0, 1, 15, 16, 17, 64, 1420}) {
            byte[] plain = new byte[len];
            r.nextBytes(plain);
            byte[] sealed = packet(plain);
            long counter = 1000 + len; // the JDK cipher refuses to seal twice with one key and nonce
            c.seal(key, counter, sealed, HEADER, len);
            for (int flip : new int[] {HEADER, HEADER + len / 2, HEADER + len + TAG - 1}) {
                byte[] forged = sealed.clone();
                forged[flip] ^= 0x01;
                byte[] before = forged.clone();
                assertEquals(
                        -1, c.open(key, counter, forged, HEADER, len + TAG), impl + " length " + len + " flip " + flip);
                assertArrayEquals(before, forged, impl + " changed a refused packet");
            }
            byte[] wrongCounter = sealed.clone();
            assertEquals(-1, c.open(key, counter + 1, wrongCounter, HEADER, len + TAG));
            assertArrayEquals(sealed, wrongCounter);
            // and the cipher still opens the genuine packet afterwards
            assertEquals(len, c.open(key, counter, sealed, HEADER, len + TAG));
            assertArrayEquals(plain, Arrays.copyOfRange(sealed, HEADER, HEADER + len));
        }
    }

    @Test
    void onePacketsKeyAndCounterDoNotLeakIntoTheNext() {
        // the cipher objects are reused per thread: alternating keys and counters must not matter
        TransportCipher bc = TransportCiphers.create("bc");
        TransportCipher jdk = TransportCiphers.create("jdk");
        SplittableRandom r = new SplittableRandom(20);
        TransportKey[] keys = new TransportKey[3];
        for (int i = 0; i < keys.length; i++) {
            byte[] k = new byte[32];
            r.nextBytes(k);
            keys[i] = new TransportKey(k);
        }
        for (int i = 0; i < 200; i++) {
            TransportKey key = keys[r.nextInt(keys.length)];
            long counter = r.nextInt(5);
            int len = r.nextInt(200);
            byte[] plain = new byte[len];
            r.nextBytes(plain);
            byte[] a = packet(plain);
            byte[] b = packet(plain);
            jdk.seal(key, counter + 1000L * i, a, HEADER, len);
            bc.seal(key, counter + 1000L * i, b, HEADER, len);
            assertArrayEquals(a, b);
        }
    }

    private static byte[] packet(byte[] plain) {
        byte[] p = new byte[HEADER + plain.length + TAG];
        System.arraycopy(plain, 0, p, HEADER, plain.length);
        return p;
    }
}
