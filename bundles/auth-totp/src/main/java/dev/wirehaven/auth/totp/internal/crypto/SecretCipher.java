package dev.wirehaven.auth.totp.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The authenticator secrets at rest: AES-256-GCM with a random 96-bit nonce per secret (NIST SP
 * 800-38D section 8.2.2; a secret is encrypted once per enrollment, so random nonces stay far below the
 * 2^32 encryptions per key that it allows). The user name is the associated data: a ciphertext copied
 * to another user's row does not decrypt. Ciphertext and nonce are stored as standard Base64 text.
 */
public final class SecretCipher {

    /** A secret as stored: the ciphertext with its 16-byte tag, and the nonce. */
    public record Sealed(String ciphertext, String nonce) {}

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String ASSOCIATED_DATA = "wirehaven totp secret v1\0";

    private final TotpKeys keys;
    private final SecureRandom random;

    public SecretCipher(TotpKeys keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    /** Encrypts {@code user}'s {@code secret} under a fresh nonce. */
    public Sealed seal(String user, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.encryptionKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(user));
            byte[] sealed = cipher.doFinal(secret);
            Base64.Encoder base64 = Base64.getEncoder();
            return new Sealed(base64.encodeToString(sealed), base64.encodeToString(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + TRANSFORMATION + " with a 256-bit key", e);
        }
    }

    /**
     * Decrypts {@code user}'s stored secret; the caller wipes the result when done.
     *
     * @throws UnreadableSecretException when it was not sealed with this key for this user
     */
    public byte[] open(String user, Sealed sealed) throws UnreadableSecretException {
        byte[] nonce;
        byte[] ciphertext;
        try {
            nonce = Base64.getDecoder().decode(sealed.nonce());
            ciphertext = Base64.getDecoder().decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException("the stored secret is not Base64", e);
        }
        if (nonce.length != NONCE_BYTES) {
            throw new UnreadableSecretException("the stored nonce has " + nonce.length + " bytes", null);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, keys.encryptionKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(user));
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException("the stored secret does not decrypt with this key for this user", e);
        } catch (GeneralSecurityException e) {
            throw new UnreadableSecretException("the stored secret cannot be decrypted: " + e.getMessage(), e);
        }
    }

    private static byte[] associatedData(String user) {
        return (ASSOCIATED_DATA + user).getBytes(StandardCharsets.UTF_8);
    }
}
