package dev.wirehaven.client.internal.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.testing.TestCertificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private final X509Certificate cert = TestCertificates.selfSigned("a").certificate();

    @Test
    void isTheSha256OfTheDerCertificateInUpperCaseHexPairs() throws Exception {
        String expected = HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        assertEquals(expected, Fingerprint.of(cert).toString());
        assertTrue(expected.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }

    @Test
    void parsesWhatPeoplePasteInEveryUsualForm() {
        Fingerprint f = Fingerprint.of(cert);
        String canonical = f.toString();
        assertEquals(f, Fingerprint.parse(canonical));
        assertEquals(f, Fingerprint.parse(canonical.toLowerCase()));
        assertEquals(f, Fingerprint.parse(canonical.replace(":", "")));
        assertEquals(f, Fingerprint.parse("sha256 Fingerprint=" + canonical + "\n"));
        assertEquals(f, Fingerprint.parse("TLS certificate SHA-256 fingerprint: x=" + canonical));
    }

    @Test
    void refusesTextThatIsNotA32ByteFingerprint() {
        String canonical = Fingerprint.of(cert).toString();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(canonical.substring(3)));
        assertTrue(e.getMessage().contains("is not a SHA-256 certificate fingerprint"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("G" + canonical.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("AB:CD"));
        // colons in the wrong places are a mistyped fingerprint, not a fingerprint
        assertThrows(
                IllegalArgumentException.class,
                () -> Fingerprint.parse(canonical.replace(":", "").substring(0, 62) + ":" + canonical.substring(93)));
    }

    @Test
    void differentCertificatesHaveDifferentFingerprints() {
        assertNotEquals(
                Fingerprint.of(cert),
                Fingerprint.of(TestCertificates.selfSigned("a").certificate()));
    }
}
