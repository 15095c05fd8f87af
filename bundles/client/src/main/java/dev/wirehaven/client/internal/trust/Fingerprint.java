package dev.wirehaven.client.internal.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A SHA-256 fingerprint that pins a server. Since SDK 2.1 it is the fingerprint of the server's
 * public key: the SHA-256 of its DER SubjectPublicKeyInfo (SPKI, as HPKP and {@code openssl pkey
 * -pubin -outform der | openssl dgst -sha256} take it), which stays the same when the operator renews
 * the certificate with the same key. It is written as OpenSSH writes key fingerprints, {@code SHA256:}
 * and unpadded base64.
 *
 * <p>Before, the client pinned the DER certificate, and the server prints its certificate's
 * fingerprint as 32 upper-case hex pairs ({@code AB:CD:...}, what {@code openssl x509 -noout
 * -fingerprint -sha256} prints after the '='). Such a hex fingerprint, recorded by an older client or
 * pasted by a person, is still read; since nobody can tell from hex which of the two was hashed, it
 * matches a certificate whose key or whose DER has that digest. Both are SHA-256 of different DER
 * structures, so one value cannot stand for both by accident; a hex pin that matched is replaced by
 * the key's fingerprint ({@link PinningTrustManager}).
 */
public final class Fingerprint {

    private static final int LENGTH = 32;
    private static final String KEY_PREFIX = "SHA256:";

    private final byte[] digest;
    /** True: of the public key only. False: hex, of the key or of the certificate. */
    private final boolean key;

    private Fingerprint(byte[] digest, boolean key) {
        this.digest = digest;
        this.key = key;
    }

    /** The fingerprint of a certificate's public key (its DER SubjectPublicKeyInfo). */
    public static Fingerprint ofKey(X509Certificate certificate) {
        return new Fingerprint(sha256(certificate.getPublicKey().getEncoded()), true);
    }

    /** The fingerprint of a whole DER certificate, as the server prints it and as older clients recorded it. */
    public static Fingerprint ofCertificate(X509Certificate certificate) {
        try {
            return new Fingerprint(sha256(certificate.getEncoded()), false);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded as DER: " + e.getMessage(), e);
        }
    }

    /**
     * Parses what a person pastes or a known-servers file holds: {@code SHA256:<base64>} (with or
     * without padding), a padded 44-character base64 digest, or the 32 hex pairs with or without
     * colons, in either case, or the whole {@code openssl} line ({@code sha256 Fingerprint=AB:CD:...}).
     *
     * @throws IllegalArgumentException saying what the text should look like
     */
    public static Fingerprint parse(String text) {
        String s = text.strip();
        if (s.regionMatches(true, 0, KEY_PREFIX, 0, KEY_PREFIX.length())) {
            byte[] d = base64(s.substring(KEY_PREFIX.length()));
            if (d != null) {
                return new Fingerprint(d, true);
            }
        } else if (s.length() == 44 && s.endsWith("=")) {
            byte[] d = base64(s);
            if (d != null) {
                return new Fingerprint(d, true);
            }
        } else {
            int eq = s.lastIndexOf('=');
            if (eq >= 0) {
                s = s.substring(eq + 1).strip();
            }
            String hex = s.replace(":", "").toLowerCase(Locale.ROOT);
            if (hex.length() == 2 * LENGTH
                    && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                    && (s.indexOf(':') < 0 || s.length() == 3 * LENGTH - 1)) {
                return new Fingerprint(HexFormat.of().parseHex(hex), false);
            }
        }
        throw new IllegalArgumentException("'" + text.strip() + "' is not a SHA-256 fingerprint; give the server's key"
                + " fingerprint as SHA256:<base64> (43 characters after the colon), or the 32 hex pairs the server"
                + " printed, such as AB:CD:...:EF (64 hex digits, colons optional)");
    }

    /** Whether {@code certificate} is the one this pins: its key, or for a hex fingerprint its key or itself. */
    public boolean matches(X509Certificate certificate) {
        if (MessageDigest.isEqual(digest, ofKey(certificate).digest)) {
            return true;
        }
        return !key && MessageDigest.isEqual(digest, ofCertificate(certificate).digest);
    }

    /** True for a fingerprint of a public key; false for a hex one (of a key or, as before 2.1, a certificate). */
    public boolean isKey() {
        return key;
    }

    /** The digest as 32 upper-case hex pairs joined by ':', whatever was hashed. */
    public String hex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static byte[] sha256(byte[] der) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] base64(String text) {
        String unpadded = text.endsWith("=") ? text.substring(0, text.indexOf('=')) : text;
        if (unpadded.length() != 43) {
            return null;
        }
        try {
            byte[] d = Base64.getDecoder().decode(unpadded + "=");
            return d.length == LENGTH ? d : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && key == f.key && MessageDigest.isEqual(digest, f.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest) * 31 + (key ? 1 : 0);
    }

    /** A key's {@code SHA256:<base64>}; a hex fingerprint as {@link #hex()}, the form it was given in. */
    @Override
    public String toString() {
        return key ? KEY_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest) : hex();
    }
}
