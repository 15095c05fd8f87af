package dev.wirehaven.auth.totp.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bundle's key, from {@link TotpKeyFile}, and the two keys derived from it, one per purpose, so
 * that no key is used by two algorithms: an AES-256 key that encrypts the authenticator secrets
 * ({@link SecretCipher}) and an HMAC-SHA256 key for the backup codes' keyed hashes. Each derived key is
 * {@code HMAC-SHA256(master, label)}: HKDF-Expand (RFC 5869) of one block, which is all a 32-byte
 * uniformly random master key needs.
 *
 * <p>Why keyed hashes for backup codes: a plain hash of a ten-symbol code could be brute-forced from a
 * copy of the database (2^49.5 tries is hours on a GPU); without this key the hashes say nothing.
 */
public final class TotpKeys {

    /** Bytes of the master key and of each derived key. */
    public static final int KEY_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final String SECRET_ENCRYPTION = "wirehaven totp: secret encryption v1";
    private static final String BACKUP_CODE_HASHES = "wirehaven totp: backup code hashes v1";

    private final SecretKey encryption;
    private final SecretKeySpec backupCodes;

    /** Derives the keys from {@code master}, which the caller may wipe afterwards. */
    public TotpKeys(byte[] master) {
        if (master.length != KEY_BYTES) {
            throw new IllegalArgumentException("the TOTP key has " + KEY_BYTES + " bytes, not " + master.length);
        }
        byte[] e = derive(master, SECRET_ENCRYPTION);
        byte[] b = derive(master, BACKUP_CODE_HASHES);
        // SecretKeySpec copies the bytes, so ours can be wiped; the copies live as long as the keys
        this.encryption = new SecretKeySpec(e, "AES");
        this.backupCodes = new SecretKeySpec(b, HMAC);
        Arrays.fill(e, (byte) 0);
        Arrays.fill(b, (byte) 0);
    }

    /** The AES-256 key of the secrets. */
    SecretKey encryptionKey() {
        return encryption;
    }

    /**
     * The keyed hash of {@code user}'s backup code in its normal form, as 64 hex digits. The user name
     * is hashed with it, so that one user's hash is useless for another and equal codes of two users
     * (however unlikely) do not show as equal rows.
     */
    public String backupCodeHash(String user, String normalCode) {
        Mac mac = mac(backupCodes);
        mac.update(user.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0); // a user name cannot contain NUL: no two (user, code) pairs give one input
        return HexFormat.of().formatHex(mac.doFinal(normalCode.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] derive(byte[] master, String label) {
        SecretKeySpec key = new SecretKeySpec(master, HMAC);
        Mac mac = mac(key);
        mac.update(label.getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(new byte[] {1}); // HKDF-Expand's counter of the first block
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has " + HMAC + " with a 32-byte key", e);
        }
    }

    /** Says nothing about the keys. */
    @Override
    public String toString() {
        return "TotpKeys[redacted]";
    }
}
