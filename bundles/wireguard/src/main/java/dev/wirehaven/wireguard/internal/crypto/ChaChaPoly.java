package dev.wirehaven.wireguard.internal.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AEAD and XAEAD of whitepaper §5.4 for the handshake and cookie messages: ChaCha20-Poly1305
 * (RFC 8439) with a 96-bit nonce of 32 zero bits and a 64-bit little-endian counter, and
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) with a 192-bit random nonce.
 *
 * <p>Handshakes are rare, so every call builds its own BouncyCastle cipher (thread-safe, simple).
 * The transport path uses {@link TransportCipher} instead.
 */
public final class ChaChaPoly {

    private ChaChaPoly() {}

    /** AEAD(key, counter, plaintext, ad): ciphertext || 16-byte tag. */
    public static byte[] seal(byte[] key, long counter, byte[] plaintext, byte[] ad) {
        return seal(key, nonce(counter), plaintext, ad);
    }

    /** ChaCha20-Poly1305 with an explicit 12-byte nonce. */
    public static byte[] seal(byte[] key, byte[] nonce12, byte[] plaintext, byte[] ad) {
        return run(new ChaCha20Poly1305(), true, key, nonce12, plaintext, 0, plaintext.length, ad);
    }

    /** Opens {@code msg[off..off+len)} (ciphertext || tag); {@code null} if the tag does not verify. */
    public static byte[] open(byte[] key, long counter, byte[] msg, int off, int len, byte[] ad) {
        return open(key, nonce(counter), msg, off, len, ad);
    }

    /** ChaCha20-Poly1305 open with an explicit 12-byte nonce; {@code null} if the tag does not verify. */
    public static byte[] open(byte[] key, byte[] nonce12, byte[] msg, int off, int len, byte[] ad) {
        if (len < 16) {
            return null;
        }
        return run(new ChaCha20Poly1305(), false, key, nonce12, msg, off, len, ad);
    }

    /** XAEAD(key, nonce, plaintext, ad) with a 24-byte nonce. */
    public static byte[] xseal(byte[] key, byte[] nonce24, byte[] plaintext, byte[] ad) {
        return run(new XChaCha20Poly1305(), true, key, nonce24, plaintext, 0, plaintext.length, ad);
    }

    /** XChaCha20-Poly1305 open; {@code null} if the tag does not verify. */
    public static byte[] xopen(byte[] key, byte[] nonce24, byte[] msg, int off, int len, byte[] ad) {
        if (len < 16) {
            return null;
        }
        return run(new XChaCha20Poly1305(), false, key, nonce24, msg, off, len, ad);
    }

    /** The 96-bit nonce of a counter: 32 zero bits, then the counter little-endian. */
    public static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    private static byte[] run(
            ChaCha20Poly1305 c, boolean seal, byte[] key, byte[] nonce, byte[] in, int off, int len, byte[] ad) {
        c.init(seal, new AEADParameters(new KeyParameter(key), 128, nonce, ad));
        byte[] out = new byte[c.getOutputSize(len)];
        int n = c.processBytes(in, off, len, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            return null;
        }
        return out;
    }
}
