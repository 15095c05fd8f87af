package dev.wirehaven.operations.internal.admin;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, deliberately slow hash of a password: PBKDF2 with HMAC-SHA-256, 600,000 iterations
 * (OWASP's 2023 figure for this PRF), a 16-byte random salt and a 32-byte output, written in the
 * PHC string format {@code $pbkdf2-sha256$i=600000$<salt>$<hash>} (unpadded base64).
 *
 * <p>Why PBKDF2 from the JDK rather than Argon2 or Shiro: it needs no bundle at all (every JDK has
 * {@code PBKDF2WithHmacSHA256}), it is the FIPS-approved password KDF, and at this cost it holds up
 * well for one long random password. The format names algorithm and cost, so a later move to Argon2id
 * or more iterations can read old files and rehash on the next successful login.
 */
record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    static final String ID = "pbkdf2-sha256";
    static final int DEFAULT_ITERATIONS = 600_000;
    /** Refuses absurd costs from a tampered file, which would hang every login. */
    static final int MAX_ITERATIONS = 10_000_000;

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    PasswordHash {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iteration count " + iterations + " is outside 1.." + MAX_ITERATIONS);
        }
        if (salt.length < 8 || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("salt shorter than 8 bytes or hash not " + HASH_BYTES + " bytes");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Hashes {@code password} with a new salt; does not wipe the caller's array. */
    static PasswordHash create(char[] password, SecureRandom random, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** Parses the PHC string that {@link #encoded()} writes. */
    static PasswordHash parse(String encoded) {
        String[] parts = encoded.trim().split("\\$", -1);
        // "", "pbkdf2-sha256", "i=600000", salt, hash
        if (parts.length != 5 || !parts[0].isEmpty() || !ID.equals(parts[1]) || !parts[2].startsWith("i=")) {
            throw new IllegalArgumentException("not a $" + ID + "$i=<iterations>$<salt>$<hash> string");
        }
        try {
            int iterations = Integer.parseInt(parts[2].substring(2));
            Base64.Decoder b64 = Base64.getDecoder();
            return new PasswordHash(iterations, b64.decode(parts[3]), b64.decode(parts[4]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a $" + ID + "$i=<iterations>$<salt>$<hash> string", e);
        }
    }

    String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$" + ID + "$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True when {@code password} hashes to this value; the comparison takes the same time wherever they differ. */
    boolean matches(char[] password) {
        byte[] candidate = derive(password, salt, iterations);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p
                && iterations == p.iterations
                && Arrays.equals(salt, p.salt)
                && MessageDigest.isEqual(hash, p.hash);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "PasswordHash[" + ID + ", i=" + iterations + "]";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java SE runtime, yet it is missing", e);
        } finally {
            spec.clearPassword(); // PBEKeySpec holds its own copy of the password
        }
    }
}
