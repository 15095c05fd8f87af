package dev.wirehaven.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdminValuesTest {

    private static final String URI = "otpauth://totp/Wirehaven:alice?secret=JBSWY3DPEHPK3PXP&issuer=Wirehaven";

    @Test
    void aNewAuthenticatorNeverShowsItsSecretWhenPrintedOrLogged() {
        NewAuthenticator a = new NewAuthenticator("alice", URI, "JBSW Y3DP EHPK 3PXP", "Enrolled alice.");
        String printed = a.toString();
        assertFalse(printed.contains("JBSW"), printed);
        assertFalse(printed.contains("otpauth"), printed);
        assertEquals("NewAuthenticator[alice]", printed);
    }

    @Test
    void onlyAnOtpauthUriIsAnAuthenticator() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new NewAuthenticator("alice", "https://evil.example/?secret=x", "x", "s"));
    }

    @Test
    void backupCodesBelongToAConfirmedAuthenticatorOnly() {
        assertEquals(5, new SecondFactorStatus("alice", SecondFactorStatus.State.CONFIRMED, 5).backupCodesLeft());
        assertThrows(
                IllegalArgumentException.class,
                () -> new SecondFactorStatus("alice", SecondFactorStatus.State.UNCONFIRMED, 3));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SecondFactorStatus("alice", SecondFactorStatus.State.CONFIRMED, -1));
    }

    @Test
    void aUserAccountHasAName() {
        assertThrows(IllegalArgumentException.class, () -> new UserAccount("", false, Instant.EPOCH));
        assertEquals("Bob", new UserAccount("Bob", true, Instant.EPOCH).name(), "names keep their case");
    }
}
