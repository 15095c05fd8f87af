package dev.wirehaven.client.internal.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of a DER certificate, written as the server prints it and as
 * {@code openssl x509 -noout -fingerprint -sha256} does after the '=': 32 upper-case hex pairs
 * joined by ':'.
 */
public final class Fingerprint {

    private static final int LENGTH = 32;

    private final byte[] digest;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
    }

    /** The fingerprint of a certificate. */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded as DER: " + e.getMessage(), e);
        }
    }

    /**
     * Parses what a person pastes: the canonical form, lower case, without the colons, or the whole
     * {@code openssl} line ({@code sha256 Fingerprint=AB:CD:...}).
     *
     * @throws IllegalArgumentException saying what the text should look like
     */
    public static Fingerprint parse(String text) {
        String s = text.strip();
        int eq = s.lastIndexOf('=');
        if (eq >= 0) {
            s = s.substring(eq + 1).strip();
        }
        String hex = s.replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.length() == 2 * LENGTH
                && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                && (s.indexOf(':') < 0 || s.length() == 3 * LENGTH - 1)) {
            return new Fingerprint(HexFormat.of().parseHex(hex));
        }
        throw new IllegalArgumentException(
                "'" + text.strip() + "' is not a SHA-256 certificate fingerprint; give the 32 hex"
                        + " pairs the server printed, such as AB:CD:...:EF (64 hex digits, colons optional)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && MessageDigest.isEqual(digest, f.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    /** {@code AB:CD:...}, 95 characters. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
