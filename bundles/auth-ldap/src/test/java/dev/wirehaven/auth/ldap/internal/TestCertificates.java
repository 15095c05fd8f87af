package dev.wirehaven.auth.ldap.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates for the tests' slapd: a CA, a server certificate it issues for 127.0.0.1,
 * and a forgery that only names the CA as its issuer. EC P-256, which GnuTLS (Debian's slapd) and
 * the JDK both speak; valid from an hour ago for a day.
 */
final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Makes the keys: the JDK encodes an EC private key without its curve and public key inside, which
     * GnuTLS (Debian's slapd) refuses ("ASN1 parser: Element was not found"); BouncyCastle includes them.
     * Not registered with the JVM, so nothing else in the test run uses it.
     */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private TestCertificates() {}

    /** A certificate authority: its key and self-signed certificate. */
    record Authority(KeyPair keys, X509Certificate certificate) {

        /** A new CA named {@code CN=<name>}. */
        static Authority create(String name) {
            KeyPair keys = keyPair();
            X500Name subject = new X500Name("CN=" + name + ",O=Wirehaven tests");
            try {
                X509v3CertificateBuilder builder = builder(subject, subject, keys);
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                builder.addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
                return new Authority(keys, sign(builder, keys));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server certificate issued by this CA for the IP address {@code ip} (only). */
        Server issueFor(String ip) {
            return issue(ip, keys);
        }

        /**
         * A certificate that names this CA as its issuer, with the CA's key identifier, but is signed by
         * another key: what an attacker who knows the CA's certificate (not its key) can make.
         */
        Server forgeFor(String ip) {
            return issue(ip, keyPair());
        }

        private Server issue(String ip, KeyPair signer) {
            KeyPair serverKeys = keyPair();
            try {
                X509v3CertificateBuilder builder = builder(
                        X500Name.getInstance(
                                certificate.getSubjectX500Principal().getEncoded()),
                        new X500Name("CN=" + ip + ",O=Wirehaven tests"),
                        serverKeys);
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, ip)));
                builder.addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
                builder.addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        extensions.createSubjectKeyIdentifier(serverKeys.getPublic()));
                return new Server(serverKeys, sign(builder, signer));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the CA certificate as PEM: what an operator puts in {@code caFile}. */
        Path writeCertificate(Path file) {
            return writePem(file, certificate);
        }
    }

    /** A server's key and certificate. */
    record Server(KeyPair keys, X509Certificate certificate) {

        /** Writes the certificate, the key (PKCS#8) and the CA into {@code dir}, for slapd. */
        Slapd.TlsFiles write(Path dir, Authority ca) {
            Path key = dir.resolve("server.key");
            try {
                Files.createDirectories(dir);
                writePem(key, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Slapd.TlsFiles(
                    ca.writeCertificate(dir.resolve("ca.pem")), writePem(dir.resolve("server.pem"), certificate), key);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(BC)
                            .build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePem(Path file, Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
