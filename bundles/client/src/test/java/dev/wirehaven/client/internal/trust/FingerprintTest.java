package dev.wirehaven.client.internal.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.testing.TestCertificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private final TestCertificates.Identity identity = TestCertificates.selfSigned("a");
    private final X509Certificate cert = identity.certificate();

    @Test
    void aKeyFingerprintIsTheSha256OfTheSubjectPublicKeyInfoWrittenAsOpenSshDoes() throws Exception {
        byte[] spki =
                MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
        Fingerprint f = Fingerprint.ofKey(cert);
        assertEquals("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(spki), f.toString());
        assertEquals(50, f.toString().length());
        assertTrue(f.isKey());
    }

    @Test
    void aCertificateFingerprintIsTheSha256OfTheDerInUpperCaseHexPairs() throws Exception {
        String expected = HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        assertEquals(expected, Fingerprint.ofCertificate(cert).toString());
        assertTrue(expected.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }

    @Test
    void parsesWhatPeoplePasteInEveryUsualForm() {
        Fingerprint key = Fingerprint.ofKey(cert);
        assertEquals(key, Fingerprint.parse(key.toString()));
        assertEquals(key, Fingerprint.parse("sha256:" + key.toString().substring(7) + "=\n"));
        assertEquals(key, Fingerprint.parse(key.toString().substring(7) + "="), "the padded base64 of HPKP");
        Fingerprint hex = Fingerprint.ofCertificate(cert);
        String canonical = hex.toString();
        assertEquals(hex, Fingerprint.parse(canonical));
        assertEquals(hex, Fingerprint.parse(canonical.toLowerCase()));
        assertEquals(hex, Fingerprint.parse(canonical.replace(":", "")));
        assertEquals(hex, Fingerprint.parse("sha256 Fingerprint=" + canonical + "\n"));
        assertEquals(hex, Fingerprint.parse("TLS certificate SHA-256 fingerprint: x=" + canonical));
    }

    @Test
    void aKeyFingerprintMatchesAnyCertificateOfThatKeyAndNoOther() {
        Fingerprint key = Fingerprint.ofKey(cert);
        assertTrue(key.matches(cert));
        assertTrue(key.matches(TestCertificates.renewed(identity).certificate()));
        assertFalse(key.matches(TestCertificates.selfSigned("a").certificate()));
    }

    @Test
    void aHexFingerprintMatchesTheCertificateOrItsKey() {
        X509Certificate renewed = TestCertificates.renewed(identity).certificate();
        Fingerprint ofCertificate =
                Fingerprint.parse(Fingerprint.ofCertificate(cert).hex());
        assertTrue(ofCertificate.matches(cert));
        assertFalse(ofCertificate.matches(renewed), "a certificate's fingerprint pins that certificate only");
        Fingerprint keyInHex = Fingerprint.parse(Fingerprint.ofKey(cert).hex());
        assertFalse(keyInHex.isKey());
        assertTrue(keyInHex.matches(renewed));
    }

    @Test
    void refusesTextThatIsNotA32ByteFingerprint() {
        String canonical = Fingerprint.ofCertificate(cert).toString();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(canonical.substring(3)));
        assertTrue(e.getMessage().contains("is not a SHA-256 fingerprint"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("G" + canonical.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("SHA256:abcd"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Fingerprint.parse(
                        "SHA256:" + Fingerprint.ofKey(cert).toString().substring(8)));
        // colons in the wrong places are a mistyped fingerprint, not a fingerprint
        assertThrows(
                IllegalArgumentException.class,
                () -> Fingerprint.parse(canonical.replace(":", "").substring(0, 62) + ":" + canonical.substring(93)));
    }

    @Test
    void differentKeysHaveDifferentFingerprints() {
        assertNotEquals(
                Fingerprint.ofKey(cert),
                Fingerprint.ofKey(TestCertificates.selfSigned("a").certificate()));
    }
}
