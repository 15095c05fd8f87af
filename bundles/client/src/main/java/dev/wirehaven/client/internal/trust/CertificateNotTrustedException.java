package dev.wirehaven.client.internal.trust;

import java.security.cert.CertificateException;

/**
 * The server presented a certificate that this client does not trust: another one than the
 * fingerprint given or recorded. The message is for a person and says what to do.
 */
public final class CertificateNotTrustedException extends CertificateException {

    private static final long serialVersionUID = 1L;

    public CertificateNotTrustedException(String message) {
        super(message);
    }
}
