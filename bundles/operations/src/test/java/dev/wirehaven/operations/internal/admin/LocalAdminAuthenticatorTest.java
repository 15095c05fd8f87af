package dev.wirehaven.operations.internal.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.PasswordCredential;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class LocalAdminAuthenticatorTest {

    private final SecureRandom random = new SecureRandom();
    private final LocalAdminAuthenticator auth = new LocalAdminAuthenticator(
            new AdminCredential("admin", PasswordHash.create("Kp7xQ2mRt9".toCharArray(), random, 1_000)), random);

    @Test
    void theAdminUserWithItsPasswordIsAccepted() {
        assertTrue(auth.verify(new PasswordCredential("admin", "Kp7xQ2mRt9".toCharArray())));
    }

    @Test
    void aWrongPasswordOrAWrongUserIsRefused() {
        assertFalse(auth.verify(new PasswordCredential("admin", "Kp7xQ2mRt".toCharArray())));
        assertFalse(auth.verify(new PasswordCredential("root", "Kp7xQ2mRt9".toCharArray())));
        assertFalse(auth.verify(new PasswordCredential("admin", "admin".toCharArray())));
    }

    @Test
    void aRememberedLoginDoesNotOpenTheDoorToOtherPasswordsOrUsers() {
        assertTrue(auth.verify(new PasswordCredential("admin", "Kp7xQ2mRt9".toCharArray())));
        assertTrue(auth.verify(new PasswordCredential("admin", "Kp7xQ2mRt9".toCharArray())));
        assertFalse(auth.verify(new PasswordCredential("admin", "wrong".toCharArray())));
        assertFalse(auth.verify(new PasswordCredential("Admin", "Kp7xQ2mRt9".toCharArray())));
    }

    @Test
    void theCallersCredentialIsLeftIntactForTheCallerToClear() {
        PasswordCredential c = new PasswordCredential("admin", "Kp7xQ2mRt9".toCharArray());
        auth.verify(c);
        assertArrayEquals("Kp7xQ2mRt9".toCharArray(), c.password());
    }
}
