package dev.wirehaven.controlapi.internal.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A certificate's SHA-256 fingerprint as clients pin it: the digest of the DER encoding as upper-case
 * hex pairs joined by ':', which is what {@code openssl x509 -noout -fingerprint -sha256} prints after
 * the '='.
 */
final class Fingerprints {

    private static final HexFormat FORMAT = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {}

    static String sha256(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has no DER encoding", e);
        }
    }

    /**
     * The fingerprint of the certificate's public key (its DER SubjectPublicKeyInfo) as OpenSSH writes
     * key fingerprints, {@code SHA256:<base64 without padding>}: what clients pin since SDK 2.1, so that a
     * renewed certificate with the same key is still the same server.
     */
    static String keySha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded());
            return "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String sha256(byte[] der) {
        try {
            return FORMAT.formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
