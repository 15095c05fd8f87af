package dev.wirehaven.controlapi.internal.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The identity that Jetty serves: a PKCS#12 keystore file with one private key and its certificate
 * chain, the password that opens both, and what clients pin.
 *
 * @param keystore the PKCS#12 file
 * @param password the password of the keystore and of its key
 * @param certificate the leaf certificate
 * @param fingerprint the leaf's SHA-256 fingerprint (see {@link Fingerprints})
 * @param description where the identity comes from, for the log
 */
record TlsIdentity(
        Path keystore, String password, X509Certificate certificate, String fingerprint, String description) {

    /** The leaf certificate in PEM, for operators and for {@code openssl x509}. */
    byte[] certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate has no DER encoding", e);
        }
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "TlsIdentity[keystore=" + keystore + ", fingerprint=" + fingerprint + ", " + description + "]";
    }
}
