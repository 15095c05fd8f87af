package dev.wirehaven.wireguard.internal.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known-answer tests of every primitive. Expected values are the published vectors where a spec has
 * one (RFC 7693, RFC 7748, RFC 8439, draft-irtf-cfrg-xchacha-03); the others were computed
 * independently with Python 3: hashlib.blake2s, hmac.new(key, msg, hashlib.blake2s), the
 * "cryptography" package's ChaCha20Poly1305, and a 20-line pure-Python HChaCha20 (which also
 * reproduces the draft's HChaCha20 vector 82413b42...).
 */
class CryptoKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY_0_31 = range(0, 32);
    private static final byte[] SUNSCREEN =
            ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                            + "for the future, sunscreen would be it.")
                    .getBytes(UTF_8);

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void blake2sOfAbcMatchesRfc7693AppendixB() {
        assertEquals(
                "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                HEX.formatHex(Blake2s.hash("abc".getBytes(UTF_8))));
    }

    @Test
    void keyedBlake2s128MacMatchesHashlib() {
        // hashlib.blake2s(b'WireGuard', key=bytes(range(32)), digest_size=16)
        byte[] msg = "WireGuard".getBytes(UTF_8);
        assertEquals("c44bc1a201f2ff374d10eda15244ad8a", HEX.formatHex(Blake2s.mac(KEY_0_31, msg, 0, msg.length)));
    }

    @Test
    void keyedMacReusedAcrossMessagesMatchesHashlib() {
        // the same vector as above, three times on one KeyedMac: each doFinal must leave the state keyed
        byte[] msg = "WireGuard".getBytes(UTF_8);
        KeyedMac mac = new KeyedMac();
        mac.rekey(KEY_0_31);
        byte[] out = new byte[Blake2s.MAC_LEN];
        for (int i = 0; i < 3; i++) {
            mac.mac(msg, 0, msg.length, out, 0);
            assertEquals("c44bc1a201f2ff374d10eda15244ad8a", HEX.formatHex(out), "use " + i);
            org.junit.jupiter.api.Assertions.assertTrue(mac.verify(msg, 0, msg.length, out, 0));
        }
        out[15] ^= 1;
        org.junit.jupiter.api.Assertions.assertFalse(mac.verify(msg, 0, msg.length, out, 0));
        mac.rekey(new byte[32]);
        mac.mac(msg, 0, msg.length, out, 0);
        assertEquals(HEX.formatHex(Blake2s.mac(new byte[32], msg, 0, msg.length)), HEX.formatHex(out), "rekeyed");
    }

    @Test
    void hmacBlake2sMatchesPythonHmac() {
        // hmac.new(bytes(range(32)), b'WireGuard', hashlib.blake2s)
        assertEquals(
                "5415924543576b3f5ee867c94e1aab70586d33b32fae3fccd2c635b3e1d7198d",
                HEX.formatHex(Blake2s.hmac(KEY_0_31, "WireGuard".getBytes(UTF_8))));
    }

    @Test
    void kdf3MatchesPythonHkdfOverHmacBlake2s() {
        byte[][] t = Kdf.kdf3(KEY_0_31, "input".getBytes(UTF_8));
        assertEquals("87b7f70b24183c6db5dc4f6d9f4c47cdb203321aa2a0bef714896adb3107a040", HEX.formatHex(t[0]));
        assertEquals("538a02e1eb2e31b7e4d4b82476d1fe2acf50085d3fb584537279195f5d1f5824", HEX.formatHex(t[1]));
        assertEquals("9ad858025593be88de0f9442a589cfe84a88dc19e4753d93684d1c5efc4837f9", HEX.formatHex(t[2]));
        assertArrayEquals(t[0], Kdf.kdf1(KEY_0_31, "input".getBytes(UTF_8)));
        assertArrayEquals(t[1], Kdf.kdf2(KEY_0_31, "input".getBytes(UTF_8))[1]);
    }

    @Test
    void x25519MatchesRfc7748Section5_2() {
        byte[] out = X25519.sharedSecret(
                hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", HEX.formatHex(out));
    }

    @Test
    void x25519DiffieHellmanMatchesRfc7748Section6_1() {
        byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        assertEquals(
                "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                HEX.formatHex(X25519.publicFrom(alice)));
        assertEquals(
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                HEX.formatHex(X25519.publicFrom(bob)));
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, HEX.formatHex(X25519.sharedSecret(alice, X25519.publicFrom(bob))));
        assertEquals(shared, HEX.formatHex(X25519.sharedSecret(bob, X25519.publicFrom(alice))));
    }

    @Test
    void x25519RefusesTheAllZeroSharedSecretOfALowOrderPoint() {
        byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assertNull(X25519.sharedSecret(alice, new byte[32])); // u = 0
        byte[] one = new byte[32];
        one[0] = 1; // u = 1, order 4
        assertNull(X25519.sharedSecret(alice, one));
    }

    @Test
    void generatedPrivateKeysAreClamped() {
        byte[] k = X25519.generatePrivate(new java.util.Random(7));
        assertEquals(0, k[0] & 7);
        assertEquals(0x40, k[31] & 0xc0);
    }

    @Test
    void chaCha20Poly1305MatchesRfc8439Section2_8_2() {
        byte[] key = range(0x80, 0xa0);
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] nonce = hex("070000004041424344454647");
        String expected =
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                        + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";
        byte[] sealed = ChaChaPoly.seal(key, nonce, SUNSCREEN, aad);
        assertEquals(expected, HEX.formatHex(sealed));
        assertArrayEquals(SUNSCREEN, ChaChaPoly.open(key, nonce, sealed, 0, sealed.length, aad));
        sealed[5] ^= 1;
        assertNull(ChaChaPoly.open(key, nonce, sealed, 0, sealed.length, aad));
    }

    @Test
    void xChaCha20Poly1305MatchesDraftIrtfCfrgXchachaA_3_1() {
        byte[] key = range(0x80, 0xa0);
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
        String expected =
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                        + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                        + "21f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49";
        byte[] sealed = ChaChaPoly.xseal(key, nonce, SUNSCREEN, aad);
        assertEquals(expected, HEX.formatHex(sealed));
        assertArrayEquals(SUNSCREEN, ChaChaPoly.xopen(key, nonce, sealed, 0, sealed.length, aad));
        aad[0] ^= 1;
        assertNull(ChaChaPoly.xopen(key, nonce, sealed, 0, sealed.length, aad));
    }

    /** ChaCha20Poly1305(bytes(0x80..0x9f)).encrypt(b'\0'*4 + struct.pack('<Q', 0x0102030405060708), pt, b''). */
    private static final String TRANSPORT_EXPECTED = "b8d08ad235a97bbc4dd551cc6b1911b3961e31851245f58e7f581dbe0627e811"
            + "f7465bd39dd94d5546bf48ac1a2dd43cbda6f795d215ec93abb888192adfa41a10ee4bb956f2bbbe7294b33f513dbeeb"
            + "a962d9c2f8cc18c88a9171bebc9ffb116a4383f49408e055ad9ca5fa75dccb65b94fd5d23d697079b0de81ed4b7817a92427";

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "bc"})
    void transportCipherSealsInPlaceWithTheCounterNonce(String impl) {
        TransportCipher c = TransportCiphers.create(impl);
        TransportKey key = new TransportKey(range(0x80, 0xa0));
        long counter = 0x0102030405060708L;
        byte[] buf = new byte[16 + SUNSCREEN.length + 16];
        System.arraycopy(SUNSCREEN, 0, buf, 16, SUNSCREEN.length);
        int n = c.seal(key, counter, buf, 16, SUNSCREEN.length);
        assertEquals(SUNSCREEN.length + 16, n);
        assertEquals(TRANSPORT_EXPECTED, HEX.formatHex(buf, 16, 16 + n));

        assertEquals(SUNSCREEN.length, c.open(key, counter, buf, 16, n));
        assertArrayEquals(SUNSCREEN, Arrays.copyOfRange(buf, 16, 16 + SUNSCREEN.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "bc"})
    void transportCipherRejectsATamperedPacketAndTheWrongCounter(String impl) {
        TransportCipher c = TransportCiphers.create(impl);
        TransportKey key = new TransportKey(range(0x80, 0xa0));
        byte[] sealed = hex(TRANSPORT_EXPECTED);
        byte[] copy = sealed.clone();
        assertEquals(-1, c.open(key, 0x0102030405060709L, copy, 0, copy.length));
        copy = sealed.clone();
        copy[copy.length - 1] ^= 0x80;
        assertEquals(-1, c.open(key, 0x0102030405060708L, copy, 0, copy.length));
        copy = sealed.clone();
        assertEquals(SUNSCREEN.length, c.open(key, 0x0102030405060708L, copy, 0, copy.length));
        // the same cipher keeps working after failures
        assertEquals(-1, c.open(key, 1, new byte[10], 0, 10));
    }

    @Test
    void anEmptyKeepaliveSealsToJustATag() {
        for (String impl : new String[] {"jdk", "bc"}) {
            TransportCipher c = TransportCiphers.create(impl);
            TransportKey key = new TransportKey(KEY_0_31);
            byte[] buf = new byte[32];
            assertEquals(16, c.seal(key, 0, buf, 16, 0));
            assertEquals(0, c.open(key, 0, buf, 16, 16));
        }
    }
    // the choice of implementation: TransportCiphersTest
}
