package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.admin.AdminActionException;
import dev.wirehaven.api.admin.NewAuthenticator;
import dev.wirehaven.api.admin.SecondFactorStatus;
import dev.wirehaven.api.admin.SecondFactorStatus.State;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.auth.totp.internal.codes.Base32;
import dev.wirehaven.server.support.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code SecondFactorEnrollment} service over the real enrollment, an H2 store and a data directory. */
class TotpEnrollmentTest {

    @TempDir
    Path data;

    private Fixture fx;
    private TotpEnrollment service;

    @BeforeEach
    void open() {
        fx = new Fixture(TestDatabase.Engine.H2, data);
        service = new TotpEnrollment(fx.enrollment);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private static byte[] secretOf(NewAuthenticator started) {
        return Fixture.secretIn(started.otpauthUri());
    }

    @Test
    void startGivesTheUriAndTheKeyOfOneSecret_writesNoImage_andLeavesTheUserUnconfirmed() throws Exception {
        assertEquals(new SecondFactorStatus("alice", State.NONE, 0), service.status("alice"));

        NewAuthenticator started = service.start("alice");

        assertEquals("alice", started.user());
        assertTrue(started.otpauthUri().startsWith("otpauth://totp/Wirehaven:alice?secret="), started.otpauthUri());
        assertEquals(Enrollment.grouped(Base32.encode(secretOf(started))), started.key());
        assertEquals(
                "Authenticator for alice enrolled; not confirmed yet, so alice's logins do not ask for its codes.",
                started.sentence());
        assertFalse(started.toString().contains(started.otpauthUri()), "toString keeps the secret out");
        assertFalse(Files.exists(fx.enrollment.imageOf("alice")));
        assertEquals(new SecondFactorStatus("alice", State.UNCONFIRMED, 0), service.status("alice"));
        assertFalse(fx.provider.enrolled(Fixture.established("alice")));
    }

    @Test
    void startingAgainReplacesTheUnconfirmedSecret_andDeletesAnImageThatHeldTheOldOne() throws Exception {
        fx.enrollment.enroll("alice");
        assertTrue(Files.exists(fx.enrollment.imageOf("alice")), "the Gogo command wrote its image");

        NewAuthenticator again = service.start("alice");

        assertTrue(
                again.sentence().startsWith("Authenticator for alice enrolled, replacing the unconfirmed one;"),
                again.sentence());
        assertTrue(again.sentence().endsWith("deleted."), again.sentence());
        assertFalse(Files.exists(fx.enrollment.imageOf("alice")));
    }

    @Test
    void aCodeFromTheAppConfirms_thenLoginsAskForIt_andRemoveUndoesIt() throws Exception {
        byte[] secret = secretOf(service.start("alice"));

        String confirmed = service.confirm("alice", fx.code(secret, 0));

        assertTrue(confirmed.startsWith("Authenticator of alice confirmed: "), confirmed);
        assertFalse(confirmed.contains("\n"), confirmed);
        assertEquals(new SecondFactorStatus("alice", State.CONFIRMED, 0), service.status("alice"));
        assertTrue(fx.provider.enrolled(Fixture.established("alice")));
        fx.clock.advance(Fixture.PERIOD.multipliedBy(2));
        assertEquals(AuthStatus.SUCCESS, fx.login("alice", fx.code(secret, 0)).status());

        assertEquals(
                "Authenticator and backup codes of alice removed; alice may enroll again.", service.remove("alice"));
        assertEquals(State.NONE, service.status("alice").state());
    }

    @Test
    void refusalsCarryTheEnrollmentsSentence() throws Exception {
        byte[] secret = secretOf(service.start("alice"));
        AdminActionException wrong =
                assertThrows(AdminActionException.class, () -> service.confirm("alice", wrongCode(fx.code(secret, 0))));
        assertTrue(wrong.getMessage().startsWith("The code does not match alice's new authenticator now."));
        assertEquals(State.UNCONFIRMED, service.status("alice").state());

        service.confirm("alice", fx.code(secret, 0));
        assertEquals(
                "alice has a confirmed authenticator already. To set up another one (a new phone), remove it first:"
                        + " totp:remove alice.",
                assertThrows(AdminActionException.class, () -> service.start("alice"))
                        .getMessage());
        assertEquals(
                "bob has no authenticator.",
                assertThrows(AdminActionException.class, () -> service.remove("bob"))
                        .getMessage());
        assertTrue(assertThrows(AdminActionException.class, () -> service.status("a\nb"))
                .getMessage()
                .startsWith("Invalid user name: "));
    }

    @Test
    void statusCountsTheBackupCodesOfAConfirmedAuthenticator() throws Exception {
        fx.enrolledAndConfirmed("alice");
        fx.enrollment.backupCodes("alice");
        assertEquals(new SecondFactorStatus("alice", State.CONFIRMED, 10), service.status("alice"));
    }

    private static String wrongCode(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }
}
