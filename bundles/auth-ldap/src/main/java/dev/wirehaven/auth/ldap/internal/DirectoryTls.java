package dev.wirehaven.auth.ldap.internal;

import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which directory certificates are trusted: those that chain to the operator's CA (the PEM file
 * of {@code caFile}) or, without one, to the Java runtime's trust store; and, for either, only a
 * certificate that names the host of the URL ({@link HostNameSSLSocketVerifier}, RFC 6125).
 *
 * <p>The chain is checked by the JDK's PKIX trust manager over a trust store made of the CA file,
 * not by UnboundID's {@code PEMFileTrustManager}: that one accepts an issuer whose name and key
 * identifier match a trusted certificate without checking the signature, nor basic constraints
 * (see its {@code checkTrusted}), so a certificate that merely names the operator's CA as its
 * issuer would pass. PKIX checks signatures, validity, basic constraints and key usage.
 */
final class DirectoryTls {

    private final SSLSocketFactory socketFactory;
    private final String trustDescription;

    private DirectoryTls(SSLSocketFactory socketFactory, String trustDescription) {
        this.socketFactory = socketFactory;
        this.trustDescription = trustDescription;
    }

    /**
     * Reads the CA file now, so that a missing or unreadable file fails the activation.
     *
     * @param caFile the operator's CA certificates, or {@code null} for the runtime's trust store
     * @throws LdapConfigurationException naming the key {@code caFile}
     */
    static DirectoryTls trusting(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (caFile == null) {
                factory.init((KeyStore) null);
            } else {
                factory.init(trustStore(caFile));
            }
            TrustManager[] trustManagers = factory.getTrustManagers();
            SSLSocketFactory sockets = new SSLUtil(trustManagers).createSSLSocketFactory();
            return new DirectoryTls(
                    sockets, caFile == null ? "the Java runtime's trust store" : "the CA certificates in " + caFile);
        } catch (GeneralSecurityException e) {
            throw new LdapConfigurationException(
                    "caFile", "cannot be used as a trust store: " + e.getMessage() + " (" + caFile + ")", e);
        }
    }

    private static KeyStore trustStore(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            // reads every certificate of a PEM bundle, as an intermediate CA often comes with its root
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new LdapConfigurationException(
                    "caFile", "cannot be read: " + e.getMessage() + " (" + caFile + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new LdapConfigurationException("caFile", "holds no PEM certificate (" + caFile + ")");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty trust store cannot be made: " + e.getMessage(), e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        return store;
    }

    /** Creates TLS sockets whose peer must chain to the trusted CAs; used for ldaps:// and StartTLS. */
    SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /** Checks, after the handshake, that the certificate names the host of the URL. */
    static SSLSocketVerifier hostNameVerifier() {
        // wildcards such as *.example.com are common on directory servers; RFC 6125 allows them in the leftmost label
        return new HostNameSSLSocketVerifier(true);
    }

    @Override
    public String toString() {
        return trustDescription;
    }
}
