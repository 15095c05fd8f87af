package dev.wirehaven.client.internal.trust;

import java.security.cert.CertificateException;

/**
 * The server presented a certificate that this client does not trust: its key is not the one given
 * or recorded, or the server is unknown and may not be trusted on first use. The message is for a
 * person and says what to do.
 */
public final class CertificateNotTrustedException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** The presented key's fingerprint as text ({@code SHA256:...}): a String, which serialises. */
    private final String presentedKey;

    private final boolean unknownServer;

    public CertificateNotTrustedException(String message) {
        this(message, null, false);
    }

    /**
     * @param presentedKey the fingerprint of the key the server presented, or {@code null}
     * @param unknownServer true when nothing is given or recorded for the server (first contact)
     */
    public CertificateNotTrustedException(String message, Fingerprint presentedKey, boolean unknownServer) {
        super(message);
        this.presentedKey = presentedKey == null ? null : presentedKey.toString();
        this.unknownServer = unknownServer;
    }

    /** The fingerprint of the key the server presented, or {@code null} when it presented none. */
    public Fingerprint presentedKey() {
        return presentedKey == null ? null : Fingerprint.parse(presentedKey);
    }

    /** True on first contact: neither a fingerprint was given nor one is recorded for the server. */
    public boolean unknownServer() {
        return unknownServer;
    }
}
