package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.controlapi.internal.tls.SelfSignedCertificates.Identity;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorKeystore;
import dev.wirehaven.controlapi.internal.tls.TlsSettings.OperatorPem;
import dev.wirehaven.server.support.testing.LogCapture;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorCertificateTest {

    private static final ConfigOrigin ORIGIN =
            new ConfigOrigin(TlsSettings.PID, "/opt/wirehaven/etc/dev.wirehaven.server.tls.cfg");

    @TempDir
    Path data;

    private final SecureRandom random = new SecureRandom();
    private final Identity issued =
            SelfSignedCertificates.create(List.of("vpn.example.com"), Clock.systemUTC(), random);

    private OperatorCertificate operator() {
        return new OperatorCertificate(data.resolve("tls"), random);
    }

    private Path keystore(String password, Identity... identities) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < identities.length; i++) {
            store.setKeyEntry(
                    "key" + i, identities[i].keyPair().getPrivate(), password.toCharArray(), new Certificate[] {
                        identities[i].certificate()
                    });
        }
        Path file = data.resolve("own.p12");
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    @Test
    void theOperatorsKeystoreIsServedAsItIs() throws Exception {
        Path file = keystore("s3cret", issued);

        TlsIdentity identity = operator().load(new OperatorKeystore(file, "s3cret"), ORIGIN);

        assertEquals(file, identity.keystore());
        assertEquals("s3cret", identity.password());
        assertEquals(Fingerprints.sha256(issued.certificate()), identity.fingerprint());
        assertFalse(Files.exists(data.resolve("tls/keystore.p12")), "no certificate of the server's own is made");
    }

    @Test
    void aWrongKeystorePasswordNamesTheFileTheKeyAndTheFix() throws Exception {
        Path file = keystore("s3cret", issued);

        TlsStartException e = assertThrows(
                TlsStartException.class, () -> operator().load(new OperatorKeystore(file, "guess"), ORIGIN));

        assertEquals(
                "HTTPS not started: configuration dev.wirehaven.server.tls (file"
                        + " /opt/wirehaven/etc/dev.wirehaven.server.tls.cfg): keystore = " + file
                        + ": cannot be opened with keystore.password; set keystore.password to the keystore's password",
                e.getMessage());
    }

    @Test
    void aFileThatIsNoKeystoreIsReportedWithHowToMakeOne() throws Exception {
        Path file = data.resolve("own.p12");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n");

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorKeystore(file, "x"), ORIGIN));

        assertTrue(e.getMessage().contains("keystore = " + file + ": is not a PKCS#12 keystore"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkcs12 -export"), e.getMessage());
    }

    @Test
    void aMissingKeystoreIsReported() {
        Path file = data.resolve("absent.p12");

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorKeystore(file, "x"), ORIGIN));

        assertTrue(e.getMessage().contains("keystore = " + file + ": does not exist"), e.getMessage());
    }

    @Test
    void aKeystoreWithTwoKeysIsRefusedBecauseClientsPinOne() throws Exception {
        Identity other = SelfSignedCertificates.create(List.of("other.example.com"), Clock.systemUTC(), random);
        Path file = keystore("s3cret", issued, other);

        TlsStartException e = assertThrows(
                TlsStartException.class, () -> operator().load(new OperatorKeystore(file, "s3cret"), ORIGIN));

        assertTrue(e.getMessage().contains("holds 2 private keys; keep exactly one"), e.getMessage());
    }

    @Test
    void aConfigurationFileThatHoldsTheKeystorePasswordAndOthersCanReadIsMadeOwnerOnlyWithAWarning() throws Exception {
        Path file = keystore("s3cret", issued);
        // etc/dev.wirehaven.server.tls.cfg as the zip used to ship it (rw-r--r--), with the operator's password in it
        Path cfg = Files.writeString(
                data.resolve("dev.wirehaven.server.tls.cfg"), "keystore = own.p12\nkeystore.password = s3cret\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigOrigin origin = new ConfigOrigin(TlsSettings.PID, cfg.toString());

        try (LogCapture log = new LogCapture(OperatorCertificate.class)) {
            operator().load(new OperatorKeystore(file, "s3cret"), origin);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg)));
            List<String> warnings =
                    log.lines().stream().filter(l -> l.startsWith("WARN ")).toList();
            assertEquals(1, warnings.size(), log.lines().toString());
            assertTrue(warnings.get(0).contains(cfg.toString()), warnings.get(0));
            assertTrue(warnings.get(0).contains("chmod 600"), warnings.get(0));
            assertFalse(warnings.get(0).contains("s3cret"), "the warning must not repeat the password");
        }
    }

    @Test
    void anOwnerOnlyConfigurationFileIsLeftAsItIsWithoutAWarning() throws Exception {
        Path file = keystore("s3cret", issued);
        Path cfg = Files.writeString(data.resolve("dev.wirehaven.server.tls.cfg"), "keystore.password = s3cret\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-------"));

        try (LogCapture log = new LogCapture(OperatorCertificate.class)) {
            operator().load(new OperatorKeystore(file, "s3cret"), new ConfigOrigin(TlsSettings.PID, cfg.toString()));

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg)));
            assertEquals(List.of(), log.lines());
        }
    }

    @Test
    void aPackedKeystorePasswordThatOthersCanReadIsMadeOwnerOnlyAtTheNextStart() throws Exception {
        Path cert = writePem("cert.pem", issued.certificate());
        Path key = writePkcs8("key.pem");
        operator().load(new OperatorPem(cert, key), ORIGIN);
        Path password = data.resolve("tls/operator.password");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));

        try (LogCapture log = new LogCapture(OperatorCertificate.class)) {
            operator().load(new OperatorPem(cert, key), ORIGIN);

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
            assertTrue(
                    log.lines().stream().anyMatch(l -> l.startsWith("WARN ") && l.contains(password.toString())),
                    log.lines().toString());
        }
    }

    @Test
    void pemFilesArePackedIntoAnOwnerOnlyKeystoreForJetty() throws Exception {
        Path cert = writePem("cert.pem", issued.certificate());
        Path key = writePkcs8("key.pem");

        TlsIdentity identity = operator().load(new OperatorPem(cert, key), ORIGIN);

        assertEquals(data.resolve("tls/operator.p12"), identity.keystore());
        assertEquals(Fingerprints.sha256(issued.certificate()), identity.fingerprint());
        var store = KeystoreFiles.load(identity.keystore(), identity.password());
        assertArrayEquals(
                issued.keyPair().getPrivate().getEncoded(),
                store.getKey(KeystoreFiles.ALIAS, identity.password().toCharArray())
                        .getEncoded());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.keystore())));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls/operator.password"))));
    }

    @Test
    void unchangedPemFilesLeaveThePackedKeystoreAsItWas() throws Exception {
        Path cert = writePem("cert.pem", issued.certificate());
        Path key = writePem("key.pem", sec1(issued.keyPair().getPrivate()));
        TlsIdentity first = operator().load(new OperatorPem(cert, key), ORIGIN);
        byte[] packed = Files.readAllBytes(first.keystore());

        TlsIdentity second = operator().load(new OperatorPem(cert, key), ORIGIN);

        assertEquals(first.password(), second.password());
        assertArrayEquals(
                packed,
                Files.readAllBytes(second.keystore()),
                "the same keystore and password: Jetty is not restarted for nothing");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        Identity other = SelfSignedCertificates.create(List.of("other.example.com"), Clock.systemUTC(), random);
        Path cert = writePem("cert.pem", issued.certificate());
        Path key = writePem("key.pem", sec1(other.keyPair().getPrivate()));

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorPem(cert, key), ORIGIN));

        assertTrue(
                e.getMessage().contains("privateKey = " + key + ": is not the key of the first certificate in " + cert),
                e.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        Path cert = writePem("cert.pem", issued.certificate());
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider())
                .setPassword("passphrase".toCharArray())
                .setRandom(random)
                .build();
        Path key = writePem("key.pem", new JcaPKCS8Generator(issued.keyPair().getPrivate(), encryptor));

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorPem(cert, key), ORIGIN));

        assertTrue(e.getMessage().contains("privateKey = " + key + ": is encrypted with a passphrase"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkey -in key.pem -out plain.pem"), e.getMessage());
    }

    @Test
    void aCertificateFileWithoutCertificateIsRefused() throws Exception {
        Path cert = writePem("cert.pem", issued.keyPair().getPrivate());
        Path key = writePem("key.pem", sec1(issued.keyPair().getPrivate()));

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorPem(cert, key), ORIGIN));

        assertTrue(e.getMessage().contains("certificate = " + cert + ": holds no certificate"), e.getMessage());
    }

    @Test
    void aKeyFileThatIsNoPemIsRefusedWithoutQuotingIt() throws Exception {
        Path cert = writePem("cert.pem", issued.certificate());
        Path key = data.resolve("key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LW1hdGVyaWFs\n-----END PRIVATE KEY-----\n");

        TlsStartException e =
                assertThrows(TlsStartException.class, () -> operator().load(new OperatorPem(cert, key), ORIGIN));

        assertTrue(e.getMessage().contains("privateKey = " + key + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    }

    private Path writePem(String name, Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        Path file = data.resolve(name);
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * The key as BouncyCastle's own object, which JcaPEMWriter writes as "BEGIN EC PRIVATE KEY" with
     * its curve inside, as openssl does (the JDK's key would lose the curve in that form).
     */
    private static PrivateKey sec1(PrivateKey key) throws Exception {
        return KeyFactory.getInstance("EC", new BouncyCastleProvider())
                .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }

    /** The key in PKCS#8 PEM ("BEGIN PRIVATE KEY"), as openssl genpkey and most CAs write it. */
    private Path writePkcs8(String name) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(issued.keyPair().getPrivate().getEncoded());
        Path file = data.resolve(name);
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        return file;
    }
}
