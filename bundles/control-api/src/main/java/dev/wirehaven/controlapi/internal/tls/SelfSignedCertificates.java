package dev.wirehaven.controlapi.internal.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the server's own TLS identity: an EC P-256 key and a self-signed X.509 v3 certificate for it,
 * valid for {@value #VALIDITY_YEARS} years, naming the server's names and addresses. Clients do not
 * trust it through a CA but by its fingerprint, pinned on first use or given to them.
 *
 * <p>The certificate is an end entity for TLS servers only (no CA, digital signature, server auth):
 * a leaked key then cannot sign other certificates that a careless client might accept.
 */
final class SelfSignedCertificates {

    static final int VALIDITY_YEARS = 10;
    /** Dated back a little, so that a client whose clock is slightly behind accepts a new certificate. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedCertificates() {}

    /** A new key pair and certificate; the private key stays in the returned pair only. */
    record Identity(KeyPair keyPair, X509Certificate certificate) {}

    /**
     * @param names DNS names and IP literals (see {@link SubjectNames}); the first DNS name is also the
     *        subject's common name
     */
    static Identity create(List<String> names, Clock clock, SecureRandom random) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();

            Instant now = clock.instant();
            Instant notAfter =
                    now.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Wirehaven")
                    .addRDN(BCStyle.CN, commonName(names))
                    .build();
            // positive, at most 20 octets (RFC 5280 4.1.2.2), unpredictable
            BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, generalNames(names));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .setSecureRandom(random)
                            .build(keyPair.getPrivate())));
            return new Identity(keyPair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            // P-256 and SHA256withECDSA are in every Java platform: this is a broken runtime
            throw new IllegalStateException("cannot create a self-signed EC P-256 certificate: " + e.getMessage(), e);
        }
    }

    private static String commonName(List<String> names) {
        return names.stream()
                .filter(n -> !SubjectNames.isIpLiteral(n) && !"localhost".equals(n))
                .findFirst()
                .orElse(names.get(0));
    }

    private static GeneralNames generalNames(List<String> names) {
        GeneralName[] entries = new GeneralName[names.size()];
        for (int i = 0; i < entries.length; i++) {
            String name = names.get(i);
            entries[i] = SubjectNames.isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(entries);
    }
}
