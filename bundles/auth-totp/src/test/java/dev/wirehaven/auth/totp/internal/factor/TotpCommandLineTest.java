package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.totp.internal.crypto.TotpKeyFile;
import dev.wirehaven.auth.totp.internal.qr.QrCodeTest;
import dev.wirehaven.server.support.files.DataDirectory;
import dev.wirehaven.store.embedded.OfflineStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/wirehaven totp ...} while no server runs: it opens the embedded store in the data directory. */
class TotpCommandLineTest {

    @TempDir
    Path home;

    private Path data() {
        return home.resolve("data");
    }

    /** One run in this process, on the installation in {@code home}, at the fixture's time. */
    private record Run(int status, String out, String err) {}

    private Run run(String... args) {
        Properties system = new Properties();
        system.setProperty(DataDirectory.HOME_PROPERTY, home.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new TotpCommandLine(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        system,
                        new SecureRandom(),
                        Clock.fixed(Fixture.T0, ZoneOffset.UTC))
                .run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void enrollsConfirmsMakesBackupCodesAndRemovesInTheInstallationsStore() throws Exception {
        Run enroll = run("enroll", "alice");
        assertEquals(0, enroll.status(), enroll.err());
        assertEquals("", enroll.err());
        assertTrue(enroll.out().contains("otpauth://totp/Wirehaven:alice?secret="), enroll.out());
        assertTrue(enroll.out().contains("bin/wirehaven totp confirm alice <code>"), enroll.out());
        assertTrue(QrCodeTest.read(enroll.out()).startsWith("otpauth://totp/Wirehaven:alice?secret="));
        assertTrue(Files.isRegularFile(data().resolve("db").resolve("wirehaven.mv.db")));
        Path key = data().resolve(TotpKeyFile.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        byte[] secret = Fixture.secretIn(enroll.out());
        String code = Fixture.APP.codeAt(secret, Fixture.T0);
        Run confirm = run("confirm", "alice", code);
        assertEquals(0, confirm.status(), confirm.err());
        assertTrue(confirm.out().contains("bin/wirehaven totp backup-codes alice"), confirm.out());

        Run codes = run("backup-codes", "alice");
        assertEquals(0, codes.status(), codes.err());
        assertEquals(
                10,
                codes.out()
                        .lines()
                        .filter(l -> l.matches(" {4}[2-9a-z]{5}-[2-9a-z]{5}"))
                        .count());
        Run status = run("status", "alice");
        assertTrue(status.out().contains("10 backup codes left"), status.out());

        assertEquals(0, run("remove", "alice").status());
        assertEquals(new Run(0, "alice has no authenticator (not enrolled).\n", ""), run("status", "alice"));
    }

    @Test
    void theStoreHasTheTotpTablesForTheServerToUse() throws Exception {
        run("enroll", "alice");
        try (OfflineStore store = OfflineStore.open(data())) {
            assertTrue(new dev.wirehaven.auth.totp.internal.store.TotpRepository(store.dataSource())
                    .find("alice")
                    .isPresent());
        }
    }

    @Test
    void writesTheImageWherePngSays() throws Exception {
        Path png = home.resolve("alice.png");

        Run enroll = run("enroll", "--png", png.toString(), "alice");

        assertEquals(0, enroll.status(), enroll.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(png)));
        assertTrue(enroll.out().contains("QR code image: " + png + " (owner-only"), enroll.out());
        assertEquals(0, run("enroll", "--png=" + png, "bob").status());
    }

    @Test
    void takesTheIssuerAndDigitsOfTheServersConfiguration() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(
                home.resolve("etc").resolve("dev.wirehaven.auth.totp.cfg"),
                "issuer = ACME VPN\ndigits = 8\n",
                StandardCharsets.ISO_8859_1);

        Run enroll = run("enroll", "alice");

        assertTrue(enroll.out().contains("otpauth://totp/ACME%20VPN:alice?secret="), enroll.out());
        assertTrue(enroll.out().contains("&digits=8&period=30"), enroll.out());
    }

    @Test
    void aBadConfigurationIsRefusedWithItsFileAndKey() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Path cfg = home.resolve("etc").resolve("dev.wirehaven.auth.totp.cfg");
        Files.writeString(cfg, "issuer = ACME:VPN\n", StandardCharsets.ISO_8859_1);

        Run enroll = run("enroll", "alice");

        assertEquals(1, enroll.status());
        assertTrue(
                enroll.err().startsWith("wirehaven totp: The configuration " + cfg + " is refused: issuer:"),
                enroll.err());
        assertFalse(Files.exists(data().resolve("db")), "nothing was touched");
    }

    @Test
    void aRefusalExitsWithOneAndSaysWhy() {
        assertEquals(new Run(1, "", "wirehaven totp: alice has no authenticator.\n"), run("remove", "alice"));
        Run confirm = run("confirm", "alice", "123456");
        assertEquals(1, confirm.status());
        assertTrue(confirm.err().contains("bin/wirehaven totp enroll alice"), confirm.err());
    }

    @Test
    void wrongUsageExitsWithTwoAndTheHelp() {
        for (String[] args : new String[][] {
            {},
            {"enrol", "alice"},
            {"enroll"},
            {"enroll", "a", "b"},
            {"confirm", "alice"},
            {"status", "--png", "x", "a"},
            {"enroll", "--png"},
            {"enroll", "--force", "alice"}
        }) {
            Run r = run(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertTrue(r.err().startsWith("wirehaven totp: "), r.err());
            assertTrue(r.err().contains("Usage: bin/wirehaven totp <command>"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void helpExitsWithZero() {
        for (String word : new String[] {"help", "--help", "-h"}) {
            assertEquals(new Run(0, TotpCommandLine.HELP, ""), run(word));
        }
        assertEquals(new Run(0, TotpCommandLine.HELP, ""), run("enroll", "--help"));
    }

    @Test
    void aUserNameMayStartWithADashAfterTheOptionsEnd() {
        Run r = run("enroll", "--", "-alice");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void itsLoggingConfigurationShipsWhereMainPointsLogback() {
        assertNotNull(TotpCommandLine.class.getClassLoader().getResource(TotpCommandLine.LOGGING));
    }
}
