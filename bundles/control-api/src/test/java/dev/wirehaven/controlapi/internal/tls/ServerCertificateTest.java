package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.testing.LogCapture;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final List<String> HOST = List.of("localhost", "gateway", "127.0.0.1", "::1", "192.0.2.7");

    @TempDir
    Path data;

    private final AtomicReference<List<String>> hostNames = new AtomicReference<>(HOST);

    private ServerCertificate store() {
        return new ServerCertificate(
                data.resolve("tls"), Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom(), hostNames::get);
    }

    @Test
    void firstStartCreatesASelfSignedEcP256CertificateValidForTenYears() throws Exception {
        TlsIdentity identity = store().loadOrCreate(List.of());
        X509Certificate cert = identity.certificate();

        assertTrue(Files.isRegularFile(data.resolve("tls/keystore.p12")));
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals(
                256,
                ((ECPublicKey) cert.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertEquals(
                NOW.atOffset(ZoneOffset.UTC).plusYears(10).toInstant(),
                cert.getNotAfter().toInstant());
        assertTrue(cert.getNotBefore().toInstant().isBefore(NOW));
        assertEquals(-1, cert.getBasicConstraints(), "an end entity, not a CA");
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "for TLS servers");
    }

    @Test
    void theKeyFingerprintIsTheSha256OfTheSubjectPublicKeyInfoInOpenSshForm() throws Exception {
        TlsIdentity identity = store().loadOrCreate(List.of());

        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(identity.certificate().getPublicKey().getEncoded());
        String expected =
                "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(digest);
        assertEquals(expected, Fingerprints.keySha256(identity.certificate()));
        assertEquals(7 + 43, expected.length());
    }

    @Test
    void laterStartsReuseTheCertificateAndItsFiles() throws Exception {
        TlsIdentity first = store().loadOrCreate(List.of());
        byte[] keystore = Files.readAllBytes(data.resolve("tls/keystore.p12"));
        String password = Files.readString(data.resolve("tls/keystore.password"));

        TlsIdentity second = store().loadOrCreate(List.of());

        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(first.password(), second.password());
        assertArrayEquals(keystore, Files.readAllBytes(data.resolve("tls/keystore.p12")));
        assertEquals(password, Files.readString(data.resolve("tls/keystore.password")));
    }

    @Test
    void theFingerprintIsTheSha256OfTheDerAsUpperCaseHexPairsJoinedByColons() throws Exception {
        TlsIdentity identity = store().loadOrCreate(List.of());

        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(identity.certificate().getEncoded());
        List<String> pairs = new ArrayList<>();
        for (byte b : digest) {
            pairs.add(String.format("%02X", b & 0xff));
        }
        assertEquals(String.join(":", pairs), identity.fingerprint());
        assertEquals(32 * 3 - 1, identity.fingerprint().length());
    }

    @Test
    void withoutConfiguredNamesTheCertificateNamesTheHost() throws Exception {
        X509Certificate cert = store().loadOrCreate(List.of()).certificate();

        assertEquals(
                Set.of("dns:localhost", "dns:gateway", "ip:127.0.0.1", "ip:0:0:0:0:0:0:0:1", "ip:192.0.2.7"),
                altNames(cert));
    }

    @Test
    void configuredNamesReplaceTheHostsNames() throws Exception {
        X509Certificate cert = store().loadOrCreate(List.of("vpn.example.com", "198.51.100.4", "2001:db8::4"))
                .certificate();

        assertEquals(Set.of("dns:vpn.example.com", "ip:198.51.100.4", "ip:2001:db8:0:0:0:0:0:4"), altNames(cert));
        assertTrue(cert.getSubjectX500Principal().getName().contains("CN=vpn.example.com"));
    }

    @Test
    void changedConfiguredNamesMakeANewCertificate() throws Exception {
        TlsIdentity before = store().loadOrCreate(List.of("vpn.example.com"));

        TlsIdentity after = store().loadOrCreate(List.of("vpn.example.com", "vpn2.example.com"));

        assertNotEquals(before.fingerprint(), after.fingerprint());
        assertEquals(Set.of("dns:vpn.example.com", "dns:vpn2.example.com"), altNames(after.certificate()));
        assertEquals(
                after.fingerprint(),
                store().loadOrCreate(List.of("vpn2.example.com", "VPN.example.com"))
                        .fingerprint(),
                "the same names in another order and case are no change");
    }

    @Test
    void anAddressTheHostGainsLaterKeepsTheCertificateThatClientsPinned() {
        TlsIdentity before = store().loadOrCreate(List.of());
        hostNames.set(List.of("localhost", "gateway", "127.0.0.1", "::1", "192.0.2.7", "203.0.113.9"));

        TlsIdentity after = store().loadOrCreate(List.of());

        assertEquals(before.fingerprint(), after.fingerprint());
    }

    @Test
    void theDirectoryKeyAndPasswordAreOwnerOnly() throws Exception {
        store().loadOrCreate(List.of());

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls/keystore.p12"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls/keystore.password"))));
    }

    @Test
    void aKeystoreAndPasswordThatOthersCanReadAreMadeOwnerOnlyWithAWarningNamingEach() throws Exception {
        store().loadOrCreate(List.of());
        Path password = data.resolve("tls/keystore.password");
        Path keystore = data.resolve("tls/keystore.p12");
        // as a copy with cp, a restore from backup or an operator's chmod may leave them
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r-----"));

        try (LogCapture log = new LogCapture(ServerCertificate.class)) {
            store().loadOrCreate(List.of());

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
            for (Path file : List.of(password, keystore)) {
                assertTrue(
                        log.lines().stream().anyMatch(l -> l.startsWith("WARN ") && l.contains(file.toString())),
                        file + " " + log.lines());
            }
        }
    }

    @Test
    void theKeystoreOpensWithThePasswordInItsFile() throws Exception {
        TlsIdentity identity = store().loadOrCreate(List.of());

        String password = Files.readString(data.resolve("tls/keystore.password"), StandardCharsets.UTF_8)
                .strip();
        assertEquals(identity.password(), password);
        assertTrue(password.length() >= 32);
        assertTrue(KeystoreFiles.load(identity.keystore(), password).isKeyEntry(KeystoreFiles.ALIAS));
    }

    @Test
    void aPasswordLeftWithoutKeystoreByACrashIsReplacedWithANewIdentity() throws Exception {
        Files.createDirectories(data.resolve("tls"));
        Files.writeString(data.resolve("tls/keystore.password"), "left-over\n");

        TlsIdentity identity = store().loadOrCreate(List.of());

        assertNotEquals("left-over", identity.password());
        assertEquals(identity.fingerprint(), store().loadOrCreate(List.of()).fingerprint());
    }

    @Test
    void aKeystoreThatDoesNotOpenIsReportedWithItsFileAndTheFix() throws Exception {
        store().loadOrCreate(List.of());
        Files.writeString(data.resolve("tls/keystore.password"), "not-the-password\n");

        TlsStartException e = assertThrows(TlsStartException.class, () -> store().loadOrCreate(List.of()));

        assertTrue(e.getMessage().contains(data.resolve("tls/keystore.p12").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be opened with the password in keystore.password"), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + data.resolve("tls")), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "never a secret in a message");
    }

    @Test
    void aMissingPasswordFileIsReportedWithItsFileAndTheFix() throws Exception {
        store().loadOrCreate(List.of());
        Files.delete(data.resolve("tls/keystore.password"));

        TlsStartException e = assertThrows(TlsStartException.class, () -> store().loadOrCreate(List.of()));

        assertTrue(e.getMessage().contains(data.resolve("tls/keystore.password") + ": is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + data.resolve("tls")), e.getMessage());
    }

    @Test
    void aCorruptKeystoreIsReportedNotReplaced() throws Exception {
        store().loadOrCreate(List.of());
        Files.write(data.resolve("tls/keystore.p12"), new byte[] {1, 2, 3});

        assertThrows(TlsStartException.class, () -> store().loadOrCreate(List.of()));
        assertArrayEquals(
                new byte[] {1, 2, 3},
                Files.readAllBytes(data.resolve("tls/keystore.p12")),
                "an identity clients pinned is never silently replaced");
    }

    @Test
    void thePublishedPemAndFingerprintDescribeTheServedCertificate() throws Exception {
        TlsIdentity identity = store().loadOrCreate(List.of());

        HttpsSetup.publish(data.resolve("tls"), identity);

        assertEquals(identity.fingerprint() + "\n", Files.readString(data.resolve("tls/fingerprint")));
        X509Certificate pem = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(data.resolve("tls/certificate.pem"))));
        assertEquals(identity.certificate(), pem);
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls/fingerprint"))));
    }

    /** The subject alternative names as "dns:name" and "ip:address". */
    static Set<String> altNames(X509Certificate cert) throws Exception {
        Set<String> names = new HashSet<>();
        for (List<?> entry : cert.getSubjectAlternativeNames()) {
            int tag = (Integer) entry.get(0);
            names.add((tag == 2 ? "dns:" : tag == 7 ? "ip:" : tag + ":") + entry.get(1));
        }
        return names;
    }
}
