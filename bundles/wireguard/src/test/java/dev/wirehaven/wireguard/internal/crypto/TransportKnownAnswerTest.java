package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The known answers that gate the native transport ciphers ({@link TransportKnownAnswer}): both Java
 * implementations reproduce them (so the constants are not one implementation's opinion), every
 * implementation passes the check, and the check catches ciphers that are wrong in the ways that
 * matter (wrong bytes, accepting a forgery, writing into the buffer of a refused packet). The native
 * bindings are also held to RFC 8439 §2.8.2, which needs additional data, through the raw functions.
 */
class TransportKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "bc"})
    void theJavaImplementationsReproduceTheConstants(String impl) throws Exception {
        TransportCipher c = TransportCiphers.create(impl);
        TransportKey key = new TransportKey(TransportKnownAnswer.KEY);

        byte[] empty = new byte[16];
        c.seal(key, 0, empty, 0, 0);
        assertEquals(TransportKnownAnswer.EMPTY_SEALED, HEX.formatHex(empty));

        byte[] sun = Arrays.copyOf(TransportKnownAnswer.SUNSCREEN, TransportKnownAnswer.SUNSCREEN.length + 16);
        c.seal(key, TransportKnownAnswer.SUNSCREEN_COUNTER, sun, 0, TransportKnownAnswer.SUNSCREEN.length);
        assertEquals(TransportKnownAnswer.SUNSCREEN_SEALED, HEX.formatHex(sun));

        byte[] longer = Arrays.copyOf(TransportKnownAnswer.longPlaintext(), TransportKnownAnswer.LONG_LENGTH + 16);
        c.seal(key, -1L, longer, 0, TransportKnownAnswer.LONG_LENGTH);
        assertEquals(
                TransportKnownAnswer.LONG_SEALED_SHA256,
                HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(longer)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "bc", "sodium", "openssl"})
    void everyImplementationPassesTheCheck(String impl) {
        NativeLibrariesPresent.assumePresent(impl);
        assertNull(TransportKnownAnswer.check(TransportCiphers.create(impl)));
    }

    @Test
    void theCheckCatchesWrongBytes() {
        TransportCipher wrong = new Wrapped(new BcTransportCipher()) {
            @Override
            public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
                return super.seal(key, counter + 1, buf, off, len);
            }
        };
        assertNotNull(TransportKnownAnswer.check(wrong));
    }

    @Test
    void theCheckCatchesAnOpenThatAcceptsForgeries() {
        TransportCipher credulous = new Wrapped(new BcTransportCipher()) {
            @Override
            public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
                int n = super.open(key, counter, buf, off, len);
                return n < 0 ? len - 16 : n;
            }
        };
        assertTrue(TransportKnownAnswer.check(credulous).contains("flipped bit"));
    }

    @Test
    void theCheckCatchesAnOpenThatWritesIntoARefusedPacket() {
        // libsodium's own behaviour when handed the caller's buffer: zeros over a refused packet
        TransportCipher zeroing = new Wrapped(new BcTransportCipher()) {
            @Override
            public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
                int n = super.open(key, counter, buf, off, len);
                if (n < 0) {
                    Arrays.fill(buf, off, off + len - 16, (byte) 0);
                }
                return n;
            }
        };
        assertTrue(TransportKnownAnswer.check(zeroing).contains("changed the buffer"));
    }

    // RFC 8439 §2.8.2
    private static final String RFC_AAD = "50515253c0c1c2c3c4c5c6c7";
    private static final String RFC_NONCE = "070000004041424344454647";
    private static final String RFC_CIPHERTEXT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116";
    private static final String RFC_TAG = "1ae10b594f09e26a7e902ecbd0600691";

    @Test
    void libsodiumsFunctionsAsBoundGiveRfc8439Section282() {
        NativeLibrariesPresent.assumePresent("sodium");
        TransportCiphers.create("sodium"); // loads and registers
        byte[] plain = TransportKnownAnswer.SUNSCREEN;
        Memory key = memory(TransportKnownAnswer.KEY);
        Memory nonce = memory(HEX.parseHex(RFC_NONCE));
        Memory aad = memory(HEX.parseHex(RFC_AAD));
        Memory data = memory(plain);
        Memory tag = new Memory(16);
        assertEquals(
                0,
                LibSodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                        a(data), a(tag), 0, a(data), plain.length, a(aad), aad.size(), 0, a(nonce), a(key)));
        assertEquals(RFC_CIPHERTEXT, HEX.formatHex(data.getByteArray(0, plain.length)));
        assertEquals(RFC_TAG, HEX.formatHex(tag.getByteArray(0, 16)));
        assertEquals(
                0,
                LibSodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                        a(data), 0, a(data), plain.length, a(tag), a(aad), aad.size(), a(nonce), a(key)));
        assertTrue(Arrays.equals(plain, data.getByteArray(0, plain.length)));
    }

    @Test
    void openSslsFunctionsAsBoundGiveRfc8439Section282() {
        NativeLibrariesPresent.assumePresent("openssl");
        TransportCiphers.create("openssl"); // loads and registers
        byte[] plain = TransportKnownAnswer.SUNSCREEN;
        Memory key = memory(TransportKnownAnswer.KEY);
        Memory nonce = memory(HEX.parseHex(RFC_NONCE));
        Memory aad = memory(HEX.parseHex(RFC_AAD));
        Memory data = memory(plain);
        Memory tag = new Memory(16);
        Memory outl = new Memory(4);
        long ctx = LibCrypto.EVP_CIPHER_CTX_new();
        try {
            assertEquals(1, LibCrypto.EVP_CipherInit_ex(ctx, LibCrypto.chacha20Poly1305(), 0, a(key), a(nonce), 1));
            assertEquals(1, LibCrypto.EVP_CipherUpdate(ctx, 0, a(outl), a(aad), (int) aad.size()));
            assertEquals(1, LibCrypto.EVP_CipherUpdate(ctx, a(data), a(outl), a(data), plain.length));
            assertEquals(1, LibCrypto.EVP_CipherFinal_ex(ctx, a(data) + plain.length, a(outl)));
            assertEquals(1, LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, 16, a(tag)));
        } finally {
            LibCrypto.EVP_CIPHER_CTX_free(ctx);
        }
        assertEquals(RFC_CIPHERTEXT, HEX.formatHex(data.getByteArray(0, plain.length)));
        assertEquals(RFC_TAG, HEX.formatHex(tag.getByteArray(0, 16)));
    }

    private static Memory memory(byte[] b) {
        Memory m = new Memory(Math.max(1, b.length));
        m.write(0, b, 0, b.length);
        return m;
    }

    private static long a(Memory m) {
        return Pointer.nativeValue(m);
    }

    /** A cipher that passes everything to another, for the cases above to bend. */
    private static class Wrapped implements TransportCipher {
        private final TransportCipher inner;

        Wrapped(TransportCipher inner) {
            this.inner = inner;
        }

        @Override
        public int seal(TransportKey key, long counter, byte[] buf, int off, int len) {
            return inner.seal(key, counter, buf, off, len);
        }

        @Override
        public int open(TransportKey key, long counter, byte[] buf, int off, int len) {
            return inner.open(key, counter, buf, off, len);
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
