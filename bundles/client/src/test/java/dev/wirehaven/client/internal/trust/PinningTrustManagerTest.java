package dev.wirehaven.client.internal.trust;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinningTrustManagerTest {

    @TempDir
    Path dir;

    private final ServerAddress server = new ServerAddress("vpn.example.com", 8443);
    private final X509Certificate first = TestCertificates.selfSigned("vpn").certificate();
    private final X509Certificate replaced = TestCertificates.selfSigned("vpn").certificate();
    private final List<String> notices = new ArrayList<>();

    private KnownServers known() {
        return new KnownServers(dir.resolve("known_servers"));
    }

    @Test
    void onFirstUseTheCertificateIsTrustedRecordedAndAnnounced() throws Exception {
        new PinningTrustManager(server, null, known(), notices::add).check(new X509Certificate[] {first});

        assertEquals(Optional.of(Fingerprint.of(first)), known().lookup(server));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).startsWith("Trusting vpn.example.com:8443 on first use"), notices.get(0));
        assertTrue(notices.get(0).contains(Fingerprint.of(first).toString()));
    }

    @Test
    void theRecordedCertificateIsAcceptedQuietly() throws Exception {
        known().record(server, Fingerprint.of(first));
        PinningTrustManager tm = new PinningTrustManager(server, null, known(), notices::add);
        assertDoesNotThrow(() -> tm.check(new X509Certificate[] {first}));
        assertEquals(List.of(), notices);
    }

    @Test
    void aChangedCertificateIsRefusedNamingBothFingerprintsAndTheWayOut() throws Exception {
        known().record(server, Fingerprint.of(first));
        String before = Files.readString(known().file());
        PinningTrustManager tm = new PinningTrustManager(server, null, known(), notices::add);

        CertificateNotTrustedException e =
                assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {replaced}));

        assertTrue(e.getMessage().contains("has CHANGED"), e.getMessage());
        assertTrue(e.getMessage().contains(Fingerprint.of(first).toString()));
        assertTrue(e.getMessage().contains("--fingerprint " + Fingerprint.of(replaced)));
        assertEquals(before, Files.readString(known().file()), "a refused certificate is not recorded");
    }

    @Test
    void aGivenFingerprintAdmitsOnlyThatCertificate() throws IOException {
        PinningTrustManager tm = new PinningTrustManager(server, Fingerprint.of(first), known(), notices::add);
        CertificateNotTrustedException e =
                assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {replaced}));
        assertTrue(e.getMessage().contains("not the one given"), e.getMessage());
        assertEquals(Optional.empty(), known().lookup(server));
    }

    @Test
    void aGivenFingerprintReplacesTheRecordedOneWhenItMatches() throws Exception {
        known().record(server, Fingerprint.of(first));
        new PinningTrustManager(server, Fingerprint.of(replaced), known(), notices::add)
                .check(new X509Certificate[] {replaced});
        assertEquals(Optional.of(Fingerprint.of(replaced)), known().lookup(server));
        assertTrue(notices.get(0).startsWith("Replaced the recorded certificate"), notices.get(0));
    }

    @Test
    void onlyTheServersOwnCertificateCountsNotTheChain() throws Exception {
        known().record(server, Fingerprint.of(first));
        PinningTrustManager tm = new PinningTrustManager(server, null, known(), notices::add);
        assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {replaced, first}));
        assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[0]));
    }
}
