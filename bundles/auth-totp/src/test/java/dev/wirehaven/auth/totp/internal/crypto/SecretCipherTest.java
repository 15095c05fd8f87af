package dev.wirehaven.auth.totp.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static TotpKeys keys(int seed) {
        byte[] master = new byte[TotpKeys.KEY_BYTES];
        java.util.Arrays.fill(master, (byte) seed);
        return new TotpKeys(master);
    }

    private final SecretCipher cipher = new SecretCipher(keys(1), new SecureRandom());
    private final byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void opensWhatItSealed() throws Exception {
        SecretCipher.Sealed sealed = cipher.seal("alice", secret);

        assertArrayEquals(secret, cipher.open("alice", sealed));
        assertEquals(12, Base64.getDecoder().decode(sealed.nonce()).length);
        assertEquals(20 + 16, Base64.getDecoder().decode(sealed.ciphertext()).length, "the secret and the GCM tag");
    }

    @Test
    void everySealingHasItsOwnNonce() {
        SecretCipher.Sealed one = cipher.seal("alice", secret);
        SecretCipher.Sealed two = cipher.seal("alice", secret);

        assertNotEquals(one.nonce(), two.nonce());
        assertNotEquals(one.ciphertext(), two.ciphertext());
    }

    @Test
    void aSecretMovedToAnotherUserDoesNotOpen() {
        SecretCipher.Sealed alices = cipher.seal("alice", secret);
        assertThrows(UnreadableSecretException.class, () -> cipher.open("mallory", alices));
    }

    @Test
    void anotherKeyDoesNotOpenIt() {
        SecretCipher.Sealed sealed = cipher.seal("alice", secret);
        SecretCipher other = new SecretCipher(keys(2), new SecureRandom());
        assertThrows(UnreadableSecretException.class, () -> other.open("alice", sealed));
    }

    @Test
    void aChangedCiphertextOrNonceDoesNotOpen() {
        SecretCipher.Sealed sealed = cipher.seal("alice", secret);
        byte[] c = Base64.getDecoder().decode(sealed.ciphertext());
        c[0] ^= 1;
        SecretCipher.Sealed flipped =
                new SecretCipher.Sealed(Base64.getEncoder().encodeToString(c), sealed.nonce());
        SecretCipher.Sealed otherNonce = new SecretCipher.Sealed(
                sealed.ciphertext(), cipher.seal("alice", secret).nonce());

        assertThrows(UnreadableSecretException.class, () -> cipher.open("alice", flipped));
        assertThrows(UnreadableSecretException.class, () -> cipher.open("alice", otherNonce));
        assertThrows(
                UnreadableSecretException.class,
                () -> cipher.open("alice", new SecretCipher.Sealed("not base64!", sealed.nonce())));
        assertThrows(
                UnreadableSecretException.class,
                () -> cipher.open("alice", new SecretCipher.Sealed(sealed.ciphertext(), "AAAA")));
    }
}
