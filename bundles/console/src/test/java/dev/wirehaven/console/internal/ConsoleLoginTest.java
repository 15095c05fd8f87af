package dev.wirehaven.console.internal;

import static dev.wirehaven.console.internal.BasicAuthorizationTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.admin.AdminAuthenticator;
import dev.wirehaven.api.auth.PasswordCredential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleLoginTest {

    /** An admin authenticator with one fixed credential, that also records what it was shown. */
    private static final class OneAdmin implements AdminAuthenticator {
        final List<PasswordCredential> seen = new ArrayList<>();

        @Override
        public boolean verify(PasswordCredential credential) {
            seen.add(credential);
            char[] pw = credential.password();
            try {
                return credential.username().equals("admin") && Arrays.equals(pw, "Kp7xQ2mRt9".toCharArray());
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
    }

    private final OneAdmin admin = new OneAdmin();
    private final ConsoleLogin login = new ConsoleLogin(admin);
    private final WirehavenSecurityProvider provider = new WirehavenSecurityProvider(admin, java.util.Set.of());

    @Test
    void theAdminCredentialLogsInAsTheAdminUser() {
        AdminUser user = login.login(basic("admin:Kp7xQ2mRt9"), "127.0.0.1").orElseThrow();
        assertEquals("admin", user.name());
        assertTrue(provider.authorize(user, "any-role"));
    }

    @Test
    void theWebConsoleDefaultAndWrongCredentialsAreRefused() {
        assertTrue(login.login(basic("admin:admin"), "127.0.0.1").isEmpty());
        assertTrue(login.login(basic("root:Kp7xQ2mRt9"), "127.0.0.1").isEmpty());
        assertTrue(login.login(null, "127.0.0.1").isEmpty());
    }

    @Test
    void aRequestWithoutCredentialsNeverReachesTheAuthenticator() {
        login.login(null, "127.0.0.1");
        login.login("Bearer abc", "127.0.0.1");
        assertEquals(List.of(), admin.seen);
    }

    @Test
    void thePresentedPasswordIsWipedAfterTheCheck() {
        login.login(basic("admin:Kp7xQ2mRt9"), "127.0.0.1");
        login.login(basic("admin:wrong"), "127.0.0.1");
        assertEquals(2, admin.seen.size());
        assertTrue(admin.seen.stream().allMatch(PasswordCredential::isCleared));
    }

    @Test
    void onlyTheConsolesOwnAdminUserObjectIsAuthorized() {
        assertFalse(provider.authorize("admin", "any-role"));
        assertFalse(provider.authorize(null, "any-role"));
        assertFalse(provider.authorize(Boolean.TRUE, "any-role"));
    }

    @Test
    void userNamesInTheLogCannotForgeLines() {
        assertEquals("eve?WARN forged", ConsoleLogin.printable("eve\nWARN forged"));
        assertEquals(64, ConsoleLogin.printable("x".repeat(500)).length());
    }

    @Test
    void aRefusedCredentialIsReportedWithItsUserAndAddressButAMissingOneIsNot() {
        List<String> reported = new ArrayList<>();
        ConsoleLogin reporting = new ConsoleLogin(admin, (user, address) -> reported.add(user + "@" + address));
        assertTrue(reporting.login(null, "127.0.0.1").isEmpty());
        assertTrue(reporting.login(basic("admin:wrong\u0007"), "127.0.0.1").isEmpty());
        assertTrue(reporting.login(basic("admin:Kp7xQ2mRt9"), "127.0.0.1").isPresent());
        assertEquals(List.of("admin@127.0.0.1"), reported);
    }
}
