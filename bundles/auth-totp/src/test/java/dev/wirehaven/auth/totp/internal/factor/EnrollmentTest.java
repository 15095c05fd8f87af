package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.auth.totp.internal.codes.Base32;
import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeyFile;
import dev.wirehaven.auth.totp.internal.qr.QrCodeTest;
import dev.wirehaven.auth.totp.internal.store.TotpSchema;
import dev.wirehaven.qr.testing.Scanner;
import dev.wirehaven.server.support.store.TestDatabase;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's side: enroll, confirm, backup codes, status and remove, with the texts they show. */
class EnrollmentTest {

    private static final Pattern URI = Pattern.compile("^URI: (otpauth://\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path data;

    private Fixture fx;

    @BeforeEach
    void open() {
        fx = new Fixture(TestDatabase.Engine.H2, data);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private static String uriIn(String output) {
        Matcher m = URI.matcher(output);
        assertTrue(m.find(), output);
        return m.group(1);
    }

    @Test
    void enrollingShowsTheQrCodeTheKeyAndTheUriAndWritesAnOwnerOnlyImage() throws Exception {
        String out = fx.enrollment.enroll("alice");

        String uri = uriIn(out);
        assertTrue(
                uri.matches("otpauth://totp/Wirehaven:alice\\?secret=[A-Z2-7]{32}&issuer=Wirehaven"
                        + "&algorithm=SHA1&digits=6&period=30"),
                uri);
        assertEquals(uri, QrCodeTest.read(out), "the terminal drawing is the URI");
        String base32 = Base32.encode(Fixture.secretIn(out));
        assertTrue(out.contains("key " + Enrollment.grouped(base32) + "\n"), out);
        assertTrue(out.contains("Then confirm with a code the app shows: totp:confirm alice <code>"), out);

        Path image = fx.enrollment.imageOf("alice");
        assertTrue(out.contains("QR code image: " + image + " (owner-only"), out);
        assertEquals(data.resolve("totp"), image.getParent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(image)));
        BufferedImage png = ImageIO.read(image.toFile());
        assertEquals(uri, Scanner.readTryingHarder(png));
    }

    @Test
    void theFirstEnrollmentMakesTheOwnerOnlyKeyFile() throws Exception {
        Path key = data.resolve(TotpKeyFile.FILE_NAME);
        assertFalse(Files.exists(key));

        fx.enrollment.enroll("alice");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void confirmingNeedsACurrentCodeOfTheNewSecret() throws Exception {
        byte[] secret = fx.enroll("alice");
        String stale = fx.code(secret, -3);

        EnrollmentException wrong =
                assertThrows(EnrollmentException.class, () -> fx.enrollment.confirm("alice", stale));
        assertTrue(wrong.getMessage().contains("does not match"), wrong.getMessage());
        EnrollmentException shape =
                assertThrows(EnrollmentException.class, () -> fx.enrollment.confirm("alice", "abcde-fghjk"));
        assertTrue(shape.getMessage().contains("shows 6 digits"), shape.getMessage());
        assertFalse(fx.provider.enrolled(Identity.of("alice")));

        String out = fx.enrollment.confirm("alice", fx.code(secret, 0));

        assertTrue(out.startsWith("Authenticator of alice confirmed"), out);
        assertTrue(out.contains("totp:backup-codes alice"), out);
        assertTrue(fx.provider.enrolled(Identity.of("alice")));
        EnrollmentException again =
                assertThrows(EnrollmentException.class, () -> fx.enrollment.confirm("alice", fx.code(secret, 1)));
        assertEquals("The authenticator of alice is confirmed already.", again.getMessage());
    }

    @Test
    void confirmingDeletesTheImageThatHoldsTheSecret() throws Exception {
        byte[] secret = fx.enroll("alice");
        Path image = fx.enrollment.imageOf("alice");
        assertTrue(Files.exists(image));

        String out = fx.enrollment.confirm("alice", fx.code(secret, 0));

        assertFalse(Files.exists(image));
        assertTrue(out.contains("QR code image " + image + " deleted."), out);
    }

    @Test
    void aConfirmedAuthenticatorIsNotReplacedUntilRemoved() throws Exception {
        byte[] first = fx.enrolledAndConfirmed("alice");

        EnrollmentException e = assertThrows(EnrollmentException.class, () -> fx.enrollment.enroll("alice"));

        assertTrue(e.getMessage().contains("totp:remove alice"), e.getMessage());
        assertTrue(fx.login("alice", fx.code(first, 0)).isSuccess(), "the first one still works");
        fx.enrollment.remove("alice");
        byte[] second = fx.enroll("alice");
        assertNotEquals(Base32.encode(first), Base32.encode(second));
    }

    @Test
    void enrollingAgainBeforeConfirmingReplacesTheSecret() throws Exception {
        byte[] first = fx.enroll("alice");

        String out = fx.enrollment.enroll("alice");

        assertTrue(out.contains("enrolled, replacing the unconfirmed one"), out);
        byte[] second = Fixture.secretIn(out);
        assertThrows(EnrollmentException.class, () -> fx.enrollment.confirm("alice", fx.code(first, 0)));
        fx.enrollment.confirm("alice", fx.code(second, 0));
    }

    @Test
    void backupCodesAreForConfirmedAuthenticatorsOnly() throws Exception {
        EnrollmentException none = assertThrows(EnrollmentException.class, () -> fx.enrollment.backupCodes("alice"));
        assertTrue(none.getMessage().contains("no confirmed authenticator"), none.getMessage());
        fx.enroll("alice");
        assertThrows(EnrollmentException.class, () -> fx.enrollment.backupCodes("alice"));
    }

    @Test
    void showsTenNewBackupCodesOnceAndTheStatusCountsThem() throws Exception {
        fx.enrolledAndConfirmed("alice");

        String out = fx.enrollment.backupCodes("alice");

        assertTrue(out.startsWith("10 new backup codes for alice."), out);
        assertEquals(
                10,
                out.lines()
                        .filter(l -> l.matches(" {4}[2-9a-z]{5}-[2-9a-z]{5}"))
                        .count(),
                out);
        assertTrue(fx.enrollment.status("alice").contains("; 10 backup codes left."));
    }

    @Test
    void theStatusSaysWhereTheUserStands() throws Exception {
        assertEquals("alice has no authenticator (not enrolled).\n", fx.enrollment.status("alice"));

        byte[] secret = fx.enroll("alice");
        assertEquals(
                "alice has an authenticator enrolled " + Fixture.T0 + ", not confirmed yet (SHA1, 6 digits, every"
                        + " 30 s); confirm it with totp:confirm alice <code>.\n",
                fx.enrollment.status("alice"));

        fx.enrollment.confirm("alice", fx.code(secret, 0));
        String confirmed = fx.enrollment.status("alice");
        assertTrue(confirmed.startsWith("alice has a confirmed authenticator (SHA1, 6 digits, every 30 s)"), confirmed);
        assertTrue(confirmed.contains("; 0 backup codes left."), confirmed);
        assertTrue(confirmed.contains("last accepted for 2026-11-25T10:00:00Z"), confirmed);
    }

    @Test
    void removingTakesTheAuthenticatorAndTheBackupCodes() throws Exception {
        byte[] secret = fx.enrolledAndConfirmed("alice");
        fx.enrollment.backupCodes("alice");

        assertEquals(
                "Authenticator and backup codes of alice removed; alice may enroll again.\n",
                fx.enrollment.remove("alice"));

        assertEquals(AuthResult.failure(), fx.login("alice", fx.code(secret, 0)));
        assertEquals("alice has no authenticator (not enrolled).\n", fx.enrollment.status("alice"));
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> fx.enrollment.remove("alice"));
        assertEquals("alice has no authenticator.", e.getMessage());
    }

    @Test
    void refusesToEnrollWhileTheKeyFileIsUnsafe() throws Exception {
        fx.enroll("alice");
        Path key = data.resolve(TotpKeyFile.FILE_NAME);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        EnrollmentException e =
                assertThrows(EnrollmentException.class, () -> fx.restarted().enroll("bob"));

        assertTrue(e.getMessage().contains("chmod 600 " + key), e.getMessage());
    }

    @Test
    void aLostKeyFileIsNotReplacedWhileSecretsNeedIt() throws Exception {
        fx.enroll("alice");
        Path key = data.resolve(TotpKeyFile.FILE_NAME);
        Files.delete(key);

        EnrollmentException e =
                assertThrows(EnrollmentException.class, () -> fx.restarted().enroll("bob"));

        assertTrue(e.getMessage().contains("is missing, but the store holds authenticator secrets"), e.getMessage());
        assertFalse(Files.exists(key));
    }

    @Test
    void theIssuerDigitsAndPeriodComeFromTheSettings() throws Exception {
        try (Fixture acme = new Fixture(
                TestDatabase.migrated(TotpSchema.TRACK),
                data.resolve("acme"),
                new TotpSettings("ACME VPN", 1, 8, 60))) {
            String out = acme.enrollment.enroll("jane doe@example.com");

            assertTrue(uriIn(out).startsWith("otpauth://totp/ACME%20VPN:jane%20doe%40example.com?secret="), uriIn(out));
            assertTrue(uriIn(out).endsWith("&issuer=ACME%20VPN&algorithm=SHA1&digits=8&period=60"), uriIn(out));
            Totp app = new Totp(Totp.Algorithm.SHA1, 8, 60);
            byte[] secret = Fixture.secretIn(out);
            EnrollmentException six = assertThrows(
                    EnrollmentException.class,
                    () -> acme.enrollment.confirm("jane doe@example.com", acme.code(secret, 0)));
            assertTrue(six.getMessage().contains("shows 8 digits"), six.getMessage());
            acme.enrollment.confirm("jane doe@example.com", app.codeAt(secret, acme.clock.instant()));
            assertTrue(acme.enrollment.status("jane doe@example.com").contains("(SHA1, 8 digits, every 60 s)"));
        }
    }

    @Test
    void refusesANameThatCannotBeAUsers() {
        for (String name : new String[] {"", " alice", "al\nice", "x".repeat(129)}) {
            EnrollmentException e = assertThrows(EnrollmentException.class, () -> fx.enrollment.enroll(name));
            assertTrue(e.getMessage().startsWith("Invalid user name: "), e.getMessage());
        }
    }

    @Test
    void theHintsQuoteANameThatTheShellWouldSplit() throws Exception {
        assertEquals("totp:confirm alice@example.com", fx.enrollment.hint("confirm", "alice@example.com"));
        assertEquals("totp:confirm 'Jane Doe'", fx.enrollment.hint("confirm", "Jane Doe"));
        assertEquals("totp:confirm 'O'\\''Brien'", fx.enrollment.hint("confirm", "O'Brien"));
        assertEquals("totp:confirm '$HOME'", fx.enrollment.hint("confirm", "$HOME"));
        String out = fx.enrollment.enroll("Jane Doe");
        assertTrue(out.contains("Then confirm with a code the app shows: totp:confirm 'Jane Doe' <code>"), out);
    }

    @Test
    void imagesOfAnyNameStayInTheirDirectoryAndApart() {
        Path dir = data.resolve("totp");
        for (String name : new String[] {"../../etc/passwd", "..", "a/b", "Jürgen Groß", ".hidden", "x".repeat(128)}) {
            Path image = fx.enrollment.imageOf(name);
            assertEquals(dir, image.getParent(), name);
            assertTrue(image.getFileName().toString().matches("enroll-[A-Za-z0-9_]{1,32}-[0-9a-f]{8}\\.png"), name);
        }
        assertNotEquals(fx.enrollment.imageOf("Alice"), fx.enrollment.imageOf("alice"));
        assertNotEquals(fx.enrollment.imageOf("a b"), fx.enrollment.imageOf("a_b"));
    }
}
