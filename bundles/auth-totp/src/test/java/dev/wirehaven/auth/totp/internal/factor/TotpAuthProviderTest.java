package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.OneTimeCode;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.auth.totp.internal.codes.Base32;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeyFile;
import dev.wirehaven.server.support.store.OnEveryDatabase;
import dev.wirehaven.server.support.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code totp} method as the server's auth chain asks it, on each database the store serves. */
@OnEveryDatabase
class TotpAuthProviderTest {

    private static final Pattern BACKUP_CODE = Pattern.compile("^ +([2-9a-z]{5}-[2-9a-z]{5})$", Pattern.MULTILINE);

    private final TestDatabase.Engine engine;

    @TempDir
    Path data;

    private Fixture fx;

    TotpAuthProviderTest(TestDatabase.Engine engine) {
        this.engine = engine;
    }

    @BeforeEach
    void open() {
        fx = new Fixture(engine, data);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private static void assertSuccessOf(String user, AuthResult result) {
        assertEquals(AuthResult.success(Fixture.established(user)), result);
    }

    // ---- the method ----

    @Test
    void isTheTotpMethodForOneTimeCodes() {
        assertEquals("totp", fx.provider.method());
        assertEquals(Set.of(CredentialKind.ONE_TIME_CODE), fx.provider.credentialKinds());
        assertEquals(
                "Code from your authenticator app (or a backup code)",
                fx.provider.prompt(CredentialKind.ONE_TIME_CODE));
        assertEquals("Password", fx.provider.prompt(CredentialKind.PASSWORD));
    }

    @Test
    void theRightCodeProvesTheIdentityThatThePasswordEstablished() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");

        assertSuccessOf("alice", fx.login("alice", fx.code(secret, 0)));
    }

    @Test
    void theCodeMayBeTypedInGroups() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        String code = fx.code(secret, 0);

        assertSuccessOf("alice", fx.login("alice", code.substring(0, 3) + " " + code.substring(3)));
    }

    @Test
    void asAFirstFactorEvenTheRightCodeFailsAndStaysUnused() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        String code = fx.code(secret, 0);

        AuthResult first = fx.provider.authenticate(AuthRequest.firstFactor(new OneTimeCode(code), null));

        assertEquals(AuthResult.failure(), first);
        assertSuccessOf("alice", fx.login("alice", code));
    }

    @Test
    void onlyOneTimeCodesAreChecked() throws Exception {
        fx.enrolledAndConfirmed("alice");
        try (PasswordCredential password = new PasswordCredential("alice", "123456".toCharArray())) {
            AuthRequest request = new AuthRequest(password, null, Fixture.established("alice"), List.of("password"));
            assertEquals(AuthResult.failure(), fx.provider.authenticate(request));
        }
    }

    // ---- the window and single use (RFC 6238 section 5.2) ----

    @Test
    void aCodeOneStepOffEitherWayIsAcceptedTwoStepsOffIsNot() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");

        assertEquals(AuthResult.failure(), fx.login("alice", fx.code(secret, -2)), "two steps old");
        assertEquals(AuthResult.failure(), fx.login("alice", fx.code(secret, 2)), "two steps ahead");
        assertSuccessOf("alice", fx.login("alice", fx.code(secret, -1)));
        assertSuccessOf("alice", fx.login("alice", fx.code(secret, 0)));
        assertSuccessOf("alice", fx.login("alice", fx.code(secret, 1)));
    }

    @Test
    void aReplayedCodeFails() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        String code = fx.code(secret, 0);

        assertSuccessOf("alice", fx.login("alice", code));
        assertEquals(AuthResult.failure(), fx.login("alice", code));
        fx.clock.advance(Fixture.PERIOD.dividedBy(2));
        assertEquals(AuthResult.failure(), fx.login("alice", code), "still within the window, still used");
    }

    @Test
    void anOlderCodeFailsAfterANewerOne() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");

        assertSuccessOf("alice", fx.login("alice", fx.code(secret, 1)));

        assertEquals(AuthResult.failure(), fx.login("alice", fx.code(secret, 0)));
        assertEquals(AuthResult.failure(), fx.login("alice", fx.code(secret, -1)));
    }

    @Test
    void theCodeThatConfirmedTheEnrollmentCannotLogIn() throws Exception {
        byte[] secret = fx.enroll("alice");
        String code = fx.code(secret, 0);
        fx.enrollment.confirm("alice", code);

        assertEquals(AuthResult.failure(), fx.login("alice", code));
    }

    @Test
    void ofTwoLoginsPresentingTheSameCodeAtOnceExactlyOneSucceeds() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        for (int round = 0; round < 10; round++) {
            fx.clock.advance(Fixture.PERIOD);
            String code = fx.code(secret, 0);
            assertEquals(1, concurrently(() -> fx.login("alice", code).isSuccess()), "round " + round);
        }
    }

    @Test
    void aWrongMalformedOrOtherUsersCodeFails() throws Exception {
        byte[] alices = fx.enrolledAndConfirmed("alice");
        fx.enrolledAndConfirmed("bob");
        String right = fx.code(alices, 0);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);

        assertEquals(AuthResult.failure(), fx.login("alice", wrong));
        assertEquals(AuthResult.failure(), fx.login("alice", right.substring(1)));
        assertEquals(AuthResult.failure(), fx.login("alice", right + "0"));
        assertEquals(AuthResult.failure(), fx.login("alice", "' OR '1'='1"));
        assertEquals(AuthResult.failure(), fx.login("bob", right), "alice's code is not bob's");
        assertSuccessOf("alice", fx.login("alice", right));
    }

    // ---- enrollment ----

    @Test
    void aUserWithoutAnAuthenticatorFailsAndIsNotEnrolled() {
        assertEquals(AuthResult.failure(), fx.login("carol", "123456"));
        assertFalse(fx.provider.enrolled(Identity.of("carol")));
    }

    @Test
    void anUnconfirmedEnrollmentDoesNotCount() throws Exception {
        byte[] secret = fx.enroll("dave");

        assertFalse(fx.provider.enrolled(Identity.of("dave")));
        assertEquals(AuthResult.failure(), fx.login("dave", fx.code(secret, 0)));
    }

    @Test
    void aConfirmedEnrollmentIsEnrolledUntilRemoved() throws Exception {
        fx.enrolledAndConfirmed("alice");
        assertTrue(fx.provider.enrolled(Identity.of("alice")));
        assertFalse(fx.provider.enrolled(Identity.of("Alice")), "names are case-sensitive");

        fx.enrollment.remove("alice");

        assertFalse(fx.provider.enrolled(Identity.of("alice")));
    }

    // ---- backup codes ----

    private List<String> backupCodes(String user) throws Exception {
        Matcher m = BACKUP_CODE.matcher(fx.enrollment.backupCodes(user));
        List<String> codes = new ArrayList<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertEquals(10, codes.size());
        return codes;
    }

    @Test
    void eachBackupCodeWorksOnceAndTheIdentitySaysSo() throws Exception {
        fx.enrolledAndConfirmed("alice");
        List<String> codes = backupCodes("alice");

        for (int i = 0; i < codes.size(); i++) {
            AuthResult result = fx.login("alice", codes.get(i));
            assertTrue(result.isSuccess(), result.toString());
            Identity identity = result.identity().orElseThrow();
            Identity established = Fixture.established("alice");
            assertEquals(established.user(), identity.user());
            assertEquals(established.groups(), identity.groups());
            assertEquals(
                    Map.of(
                            "mail",
                            "alice@example.com",
                            TotpAuthProvider.BACKUP_CODE_ATTRIBUTE,
                            "true",
                            TotpAuthProvider.BACKUP_CODES_LEFT_ATTRIBUTE,
                            Integer.toString(codes.size() - 1 - i)),
                    identity.attributes());
            assertEquals(AuthResult.failure(), fx.login("alice", codes.get(i)), "used already");
        }
    }

    @Test
    void aBackupCodeIsTypedInEitherCaseWithoutTheHyphenAndIsOnlyItsUsers() throws Exception {
        fx.enrolledAndConfirmed("alice");
        fx.enrolledAndConfirmed("bob");
        List<String> alices = backupCodes("alice");

        assertEquals(AuthResult.failure(), fx.login("bob", alices.get(0)));
        assertTrue(fx.login("alice", alices.get(0).toUpperCase(Locale.ROOT)).isSuccess());
        assertTrue(fx.login("alice", alices.get(1).replace("-", "")).isSuccess());
    }

    @Test
    void ofTwoLoginsPresentingTheSameBackupCodeAtOnceExactlyOneSucceeds() throws Exception {
        fx.enrolledAndConfirmed("alice");
        for (String code : backupCodes("alice")) {
            assertEquals(1, concurrently(() -> fx.login("alice", code).isSuccess()), code);
        }
    }

    @Test
    void backupCodesAreStoredOnlyAsKeyedHashes() throws Exception {
        fx.enrolledAndConfirmed("alice");
        List<String> codes = backupCodes("alice");

        List<String> rows = rows("SELECT * FROM totp_backup_codes");
        assertEquals(10, rows.size());
        for (String row : rows) {
            for (String code : codes) {
                assertFalse(row.contains(code), row);
                assertFalse(row.contains(code.replace("-", "")), row);
                assertFalse(row.toLowerCase(Locale.ROOT).contains(code.substring(0, 5)), row);
            }
        }
        for (String hash : rows("SELECT code_hash FROM totp_backup_codes")) {
            assertTrue(hash.matches("[0-9a-f]{64}\\|"), hash);
        }
    }

    @Test
    void theSecretIsStoredOnlyEncrypted() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        String base32 = Base32.encode(secret);

        List<String> rows = rows("SELECT * FROM totp_secrets");
        assertEquals(1, rows.size());
        String row = rows.get(0);
        assertFalse(row.contains(base32), row);
        assertFalse(row.toLowerCase(Locale.ROOT).contains(base32.toLowerCase(Locale.ROOT)), row);
        assertFalse(row.contains(base32.substring(0, 8)), row);
        assertFalse(row.contains(HexFormat.of().formatHex(secret)), row);
        assertFalse(row.contains(java.util.Base64.getEncoder().encodeToString(secret)), row);
    }

    // ---- unavailable ----

    @Test
    void aStoreThatCannotBeReadMakesTheProviderUnavailable() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        String code = fx.code(secret, 0);
        fx.db.close();

        AuthResult result = fx.login("alice", code);

        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result.toString());
        assertTrue(result.reason().startsWith("The TOTP store cannot be read"), result.reason());
        assertFalse(result.reason().contains(code));
        assertTrue(fx.provider.enrolled(Identity.of("alice")), "asked rather than skipped");
        fx = new Fixture(engine, data); // for close()
    }

    @Test
    void aKeyFileThatOthersCanReadMakesTheProviderUnavailable() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        Path key = data.resolve(TotpKeyFile.FILE_NAME);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        AuthResult result = fx.restarted().login("alice", fx.code(secret, 0));

        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result.toString());
        assertTrue(result.reason().contains(key.toString()), result.reason());
        assertTrue(result.reason().contains("rw-r--r--"), result.reason());
    }

    @Test
    void aMissingKeyFileMakesTheProviderUnavailableForEnrolledUsers() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        Files.delete(data.resolve(TotpKeyFile.FILE_NAME));
        Fixture restarted = fx.restarted();

        AuthResult result = restarted.login("alice", fx.code(secret, 0));

        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result.toString());
        assertTrue(result.reason().contains("is missing"), result.reason());
        assertEquals(AuthResult.failure(), restarted.login("carol", "123456"), "not enrolled: a plain failure");
    }

    @Test
    void anotherKeyFileMakesTheProviderUnavailable(@TempDir Path elsewhere) throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        try (Fixture other = new Fixture(TestDatabase.Engine.H2, elsewhere)) {
            other.enrollment.enroll("someone");
        }
        Files.move(
                elsewhere.resolve(TotpKeyFile.FILE_NAME),
                data.resolve(TotpKeyFile.FILE_NAME),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        AuthResult result = fx.restarted().login("alice", fx.code(secret, 0));

        assertEquals(AuthStatus.UNAVAILABLE, result.status(), result.toString());
        assertTrue(result.reason().contains("cannot be decrypted"), result.reason());
    }

    /** Every row of {@code query}, its columns joined, for searching. */
    private List<String> rows(String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = fx.db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** Runs {@code call} on two threads released at the same moment; how many answered true. */
    static int concurrently(Callable<Boolean> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            Callable<Boolean> racer = () -> {
                start.await(10, TimeUnit.SECONDS);
                return call.call();
            };
            Future<Boolean> one = pool.submit(racer);
            Future<Boolean> two = pool.submit(racer);
            return (one.get(30, TimeUnit.SECONDS) ? 1 : 0) + (two.get(30, TimeUnit.SECONDS) ? 1 : 0);
        } finally {
            pool.shutdownNow();
        }
    }
}
