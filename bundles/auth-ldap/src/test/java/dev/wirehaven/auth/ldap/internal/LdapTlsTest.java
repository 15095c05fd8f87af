package dev.wirehaven.auth.ldap.internal;

import static dev.wirehaven.auth.ldap.internal.LdapAuthProviderTest.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LDAPS and StartTLS against a slapd whose certificate (for 127.0.0.1 only) the test's own CA
 * issued. A certificate that the client cannot trust answers UNAVAILABLE, not FAILURE: nothing is
 * known about the user's password, the fault is the directory's or the configuration's, the
 * operator's log gets the reason, and the chain may fall back to a directory it can trust.
 *
 * <pre>
 *   test CA ──issues──▶ slapd (ldap:// + ldaps://, 127.0.0.1)
 *   other CA            forged slapd: names the test CA as issuer, signed by another key
 * </pre>
 */
class LdapTlsTest {

    @TempDir
    static Path files;

    private static Slapd slapd;
    private static Slapd forged;
    private static Path operatorCa;
    private static Path otherCa;

    @BeforeAll
    static void startDirectories() {
        TestCertificates.Authority ca = TestCertificates.Authority.create("Wirehaven test CA");
        operatorCa = ca.writeCertificate(files.resolve("operator-ca.pem"));
        otherCa =
                TestCertificates.Authority.create("Somebody else's CA").writeCertificate(files.resolve("other-ca.pem"));
        slapd = Slapd.start(ca.issueFor("127.0.0.1").write(files.resolve("slapd"), ca));
        forged = Slapd.start(ca.forgeFor("127.0.0.1").write(files.resolve("forged"), ca));
    }

    @AfterAll
    static void stopDirectories() {
        try {
            if (slapd != null) {
                slapd.close();
            }
        } finally {
            if (forged != null) {
                forged.close();
            }
        }
    }

    private static TestConfiguration over(String url) {
        return TestConfiguration.urls(url)
                .with("userDnTemplate", "uid={0}," + Slapd.PEOPLE)
                .with("connectTimeoutMillis", 2000)
                .with("responseTimeoutMillis", 2000);
    }

    private static void assertUnavailable(AuthResult result, String expectedInReason) {
        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result::toString);
        assertTrue(result.reason().contains(expectedInReason), result.reason());
    }

    @Test
    void ldapsWithTheOperatorsCaSucceeds() {
        try (LdapAuthProvider provider =
                over(slapd.ldapsUrl()).with("caFile", operatorCa.toString()).provider()) {
            assertTrue(provider.directory().encrypted());
            assertEquals(
                    "alice",
                    login(provider, "alice", "alice-password")
                            .identity()
                            .orElseThrow()
                            .user());
            assertEquals(AuthResult.failure(), login(provider, "alice", "wrong"));
        }
    }

    @Test
    void ldapsWithAnotherCaIsUnavailable() {
        try (LdapAuthProvider provider =
                over(slapd.ldapsUrl()).with("caFile", otherCa.toString()).provider()) {
            assertUnavailable(login(provider, "alice", "alice-password"), "127.0.0.1:" + slapd.ldapsPort());
        }
    }

    @Test
    void withoutACaFileOnlyTheJavaTrustStoreIsTrusted() {
        try (LdapAuthProvider provider = over(slapd.ldapsUrl()).provider()) {
            assertUnavailable(login(provider, "alice", "alice-password"), slapd.ldapsUrl());
        }
    }

    @Test
    void startTlsWithTheOperatorsCaSucceeds() {
        try (LdapAuthProvider provider = over(slapd.ldapUrl())
                .with("startTls", true)
                .with("caFile", operatorCa.toString())
                .provider()) {
            assertTrue(provider.directory().encrypted());
            assertEquals(
                    "alice",
                    login(provider, "alice", "alice-password")
                            .identity()
                            .orElseThrow()
                            .user());
        }
    }

    @Test
    void startTlsWithAnotherCaIsUnavailable() {
        try (LdapAuthProvider provider = over(slapd.ldapUrl())
                .with("startTls", true)
                .with("caFile", otherCa.toString())
                .provider()) {
            assertUnavailable(login(provider, "alice", "alice-password"), slapd.ldapUrl());
        }
    }

    @Test
    void aCertificateForAnotherHostIsUnavailable() {
        // localhost is 127.0.0.1 here, but the certificate names only the address: the name must match the URL
        String byName = slapd.ldapsUrl().replace("127.0.0.1", "localhost");
        try (LdapAuthProvider provider =
                over(byName).with("caFile", operatorCa.toString()).provider()) {
            assertUnavailable(login(provider, "alice", "alice-password"), "localhost");
        }
    }

    @Test
    void aCertificateThatOnlyNamesTheOperatorsCaAsIssuerIsUnavailable() {
        try (LdapAuthProvider provider =
                over(forged.ldapsUrl()).with("caFile", operatorCa.toString()).provider()) {
            assertUnavailable(login(provider, "alice", "alice-password"), forged.ldapsUrl());
        }
    }
}
