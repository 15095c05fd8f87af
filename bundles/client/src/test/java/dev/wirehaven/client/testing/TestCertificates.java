package dev.wirehaven.client.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed server certificates as a Wirehaven server makes them at its first start. */
public final class TestCertificates {

    /** A certificate with its key, and a server-side TLS context presenting it. */
    public record Identity(X509Certificate certificate, SSLContext serverContext, KeyPair keyPair) {}

    private TestCertificates() {}

    /** A new key and a certificate for it. */
    public static Identity selfSigned(String commonName) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return selfSigned(commonName, g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test key", e);
        }
    }

    /** A renewed certificate: the same key as {@code before}, a new serial number and validity. */
    public static Identity renewed(Identity before) {
        return selfSigned("renewed", before.keyPair());
    }

    private static Identity selfSigned(String commonName, KeyPair pair) {
        try {
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    new BigInteger(64, new SecureRandom()),
                                    Date.from(now.minus(Duration.ofDays(1))),
                                    Date.from(now.plus(Duration.ofDays(365))),
                                    name,
                                    pair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "test".toCharArray();
            ks.setKeyEntry("server", pair.getPrivate(), pw, new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, new SecureRandom());
            return new Identity(cert, ssl, pair);
        } catch (GeneralSecurityException
                | java.io.IOException
                | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
