package dev.wirehaven.client.internal.trust;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    private final TestCertificates.Identity identity = TestCertificates.selfSigned("vpn");
    private final X509Certificate first = identity.certificate();
    /** The operator renewed the certificate with the same key. */
    private final X509Certificate renewed = TestCertificates.renewed(identity).certificate();
    /** The operator (or someone else) made a new key. */
    private final X509Certificate otherKey = TestCertificates.selfSigned("vpn").certificate();

    private final List<String> notices = new ArrayList<>();

    private KnownServers known() {
        return new KnownServers(dir.resolve("known_servers"));
    }

    private PinningTrustManager trusting(Fingerprint given) {
        return new PinningTrustManager(server, given, known(), notices::add);
    }

    @Test
    void onFirstUseTheKeyIsTrustedRecordedAndAnnounced() throws Exception {
        trusting(null).check(new X509Certificate[] {first});

        assertEquals(Optional.of(Fingerprint.ofKey(first)), known().lookup(server));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).startsWith("Trusting vpn.example.com:8443 on first use"), notices.get(0));
        assertTrue(notices.get(0).contains(Fingerprint.ofKey(first).toString()));
    }

    @Test
    void withoutTrustOnFirstUseAnUnknownServerIsRefusedWithTheKeyItPresents() throws IOException {
        PinningTrustManager tm = new PinningTrustManager(server, null, known(), false, notices::add);
        CertificateNotTrustedException e =
                assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {first}));
        assertTrue(e.unknownServer());
        assertEquals(Fingerprint.ofKey(first), e.presentedKey());
        assertTrue(e.getMessage().startsWith("vpn.example.com:8443 is not a known server"), e.getMessage());
        assertTrue(e.getMessage().contains("--fingerprint"), e.getMessage());
        assertEquals(Optional.empty(), known().lookup(server), "nothing recorded");
    }

    @Test
    void theRecordedKeyIsAcceptedQuietly() throws Exception {
        known().record(server, Fingerprint.ofKey(first));
        assertDoesNotThrow(() -> trusting(null).check(new X509Certificate[] {first}));
        assertEquals(List.of(), notices);
    }

    @Test
    void aRenewedCertificateWithTheSameKeyIsAccepted() throws Exception {
        known().record(server, Fingerprint.ofKey(first));
        String before = Files.readString(known().file());
        assertDoesNotThrow(() -> trusting(null).check(new X509Certificate[] {renewed}));
        assertEquals(List.of(), notices);
        assertEquals(before, Files.readString(known().file()), "the pin is the key: nothing to record");
    }

    @Test
    void aNewKeyIsRefusedNamingBothKeyFingerprintsAndTheWayOut() throws Exception {
        known().record(server, Fingerprint.ofKey(first));
        String before = Files.readString(known().file());

        CertificateNotTrustedException e = assertThrows(
                CertificateNotTrustedException.class, () -> trusting(null).check(new X509Certificate[] {otherKey}));

        assertFalse(e.unknownServer());
        assertTrue(e.getMessage().contains("has CHANGED"), e.getMessage());
        assertTrue(e.getMessage().contains("it was " + Fingerprint.ofKey(first)), e.getMessage());
        assertTrue(e.getMessage().contains("it is now " + Fingerprint.ofKey(otherKey)), e.getMessage());
        assertTrue(e.getMessage().contains("check the new fingerprint with its operator"), e.getMessage());
        assertTrue(e.getMessage().contains("--fingerprint " + Fingerprint.ofKey(otherKey)), e.getMessage());
        assertEquals(before, Files.readString(known().file()), "a refused key is not recorded");
    }

    @Test
    void aCertificatePinOfAnOlderClientIsReplacedByTheKeyWhenTheCertificateMatches() throws Exception {
        Files.writeString(
                known().file(),
                "# mine\n" + server + " " + Fingerprint.ofCertificate(first).hex() + "\n");

        trusting(null).check(new X509Certificate[] {first});

        assertEquals(Optional.of(Fingerprint.ofKey(first)), known().lookup(server));
        assertTrue(Files.readString(known().file()).startsWith("# mine\n"), "comments are kept");
        assertTrue(notices.get(0).contains("by its key fingerprint " + Fingerprint.ofKey(first)), notices.get(0));
        assertDoesNotThrow(
                () -> trusting(null).check(new X509Certificate[] {renewed}), "from now on a renewal is accepted");
    }

    @Test
    void aCertificatePinOfAnOlderClientRefusesAnotherCertificateNamingTheOldPin() throws Exception {
        String old = Fingerprint.ofCertificate(first).hex();
        Files.writeString(known().file(), server + " " + old + "\n");
        CertificateNotTrustedException e = assertThrows(
                CertificateNotTrustedException.class, () -> trusting(null).check(new X509Certificate[] {otherKey}));
        assertTrue(e.getMessage().contains("it was " + old + " (the fingerprint of its former certificate)"));
        assertTrue(e.getMessage().contains("it is now " + Fingerprint.ofKey(otherKey)), e.getMessage());
    }

    @Test
    void aGivenFingerprintAdmitsOnlyThatKey() throws IOException {
        PinningTrustManager tm = trusting(Fingerprint.ofKey(first));
        CertificateNotTrustedException e =
                assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {otherKey}));
        assertTrue(e.getMessage().contains("not the one given (" + Fingerprint.ofKey(first) + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("presents the key " + Fingerprint.ofKey(otherKey)), e.getMessage());
        assertEquals(Optional.empty(), known().lookup(server));
    }

    @Test
    void aGivenCertificateFingerprintAsTheServerPrintsItIsComparedAndItsKeyRecorded() throws Exception {
        trusting(Fingerprint.parse(Fingerprint.ofCertificate(first).hex())).check(new X509Certificate[] {first});
        assertEquals(Optional.of(Fingerprint.ofKey(first)), known().lookup(server));
    }

    @Test
    void aGivenFingerprintReplacesTheRecordedOneWhenItMatches() throws Exception {
        known().record(server, Fingerprint.ofKey(first));
        trusting(Fingerprint.ofKey(otherKey)).check(new X509Certificate[] {otherKey});
        assertEquals(Optional.of(Fingerprint.ofKey(otherKey)), known().lookup(server));
        assertTrue(notices.get(0).startsWith("Replaced the recorded key"), notices.get(0));
    }

    @Test
    void onlyTheServersOwnCertificateCountsNotTheChain() throws Exception {
        known().record(server, Fingerprint.ofKey(first));
        PinningTrustManager tm = trusting(null);
        assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[] {otherKey, first}));
        assertThrows(CertificateNotTrustedException.class, () -> tm.check(new X509Certificate[0]));
    }
}
