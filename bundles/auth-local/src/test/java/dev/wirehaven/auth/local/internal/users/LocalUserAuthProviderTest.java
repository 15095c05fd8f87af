package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.auth.local.internal.store.User;
import dev.wirehaven.auth.local.internal.store.UserRepository;
import dev.wirehaven.auth.local.internal.store.UserSchema;
import dev.wirehaven.server.support.store.TestDatabase;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.shiro.authc.credential.PasswordService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalUserAuthProviderTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String COST = "$shiro2$argon2id$v=19$t=2,m=19456,p=1$";

    private final TestDatabase db = TestDatabase.migrated(UserSchema.TRACK);
    private final UserRepository users = new UserRepository(db.dataSource());
    private final UserPasswords passwords = new UserPasswords(new SecureRandom());
    private final RecordingPasswords recording = new RecordingPasswords(passwords);
    private final LocalUserAuthProvider provider = new LocalUserAuthProvider(users, recording, new SecureRandom());

    LocalUserAuthProviderTest() {
        users.add(new User("alice", passwords.hash("correct horse".toCharArray()), false, T0, T0));
        users.add(new User("dave", passwords.hash("dave's secret".toCharArray()), true, T0, T0));
    }

    @AfterEach
    void close() throws Exception {
        provider.close();
        db.close();
    }

    private AuthResult login(String user, String password) {
        try (PasswordCredential credential = new PasswordCredential(user, password.toCharArray())) {
            return provider.authenticate(AuthRequest.firstFactor(credential, null));
        }
    }

    @Test
    void aFullPasswordHasherAnswersUnavailableAndNotAFailedLogin() {
        UserPasswords one = new UserPasswords(new SecureRandom(), 1, 0);
        LocalUserAuthProvider busy = new LocalUserAuthProvider(users, one, new SecureRandom());
        try (PasswordCredential credential = new PasswordCredential("alice", "correct horse".toCharArray())) {
            one.enterCheck(); // a check in progress takes the only place
            AuthResult result;
            try {
                result = busy.authenticate(AuthRequest.firstFactor(credential, null));
            } finally {
                one.leaveCheck();
            }
            assertEquals(AuthStatus.UNAVAILABLE, result.status(), result.toString());
        } finally {
            busy.close();
        }
        try (PasswordCredential again = new PasswordCredential("alice", "correct horse".toCharArray())) {
            LocalUserAuthProvider free = new LocalUserAuthProvider(users, one, new SecureRandom());
            assertEquals(
                    AuthStatus.SUCCESS,
                    free.authenticate(AuthRequest.firstFactor(again, null)).status());
            free.close();
        }
    }

    @Test
    void isThePasswordMethodForPasswords() {
        assertEquals("password", provider.method());
        assertEquals(Set.of(CredentialKind.PASSWORD), provider.credentialKinds());
    }

    @Test
    void theRightPasswordProvesTheUser() {
        AuthResult result = login("alice", "correct horse");
        assertEquals(AuthStatus.SUCCESS, result.status());
        assertEquals(
                new Identity("alice", Set.of(), java.util.Map.of()),
                result.identity().orElseThrow());
    }

    @Test
    void aWrongPasswordFailsWithTheGenericReason() {
        assertEquals(AuthResult.failure(), login("alice", "wrong horse"));
    }

    @Test
    void anUnknownUserFailsExactlyLikeAWrongPassword() {
        assertEquals(login("alice", "wrong horse"), login("mallory", "correct horse"));
        assertEquals(AuthResult.failure(), login("mallory", "correct horse"));
    }

    @Test
    void aDisabledUserFailsExactlyLikeAWrongPasswordEvenWithTheRightOne() {
        assertEquals(AuthResult.failure(), login("dave", "dave's secret"));
        assertEquals(AuthResult.failure(), login("dave", "wrong"));
    }

    @Test
    void everyAttemptCostsOneVerificationAtTheSameCost() {
        // what takes the time is the one Argon2 verification; each outcome must do exactly one, at our cost
        login("alice", "correct horse");
        login("alice", "wrong horse");
        login("mallory", "correct horse");
        login("dave", "dave's secret");
        assertEquals(4, recording.verified.size());
        for (String hash : recording.verified) {
            assertTrue(hash.startsWith(COST), hash);
        }
    }

    @Test
    void namesAreCaseSensitive() {
        assertEquals(AuthResult.failure(), login("Alice", "correct horse"));
        assertEquals(AuthResult.failure(), login("ALICE", "correct horse"));
    }

    @Test
    void aDisabledUserThatIsEnabledAgainLogsIn() {
        users.setDisabled("dave", false, T0);
        assertEquals(AuthStatus.SUCCESS, login("dave", "dave's secret").status());
    }

    @Test
    void anUnreadableStoredHashFailsLikeAWrongPassword() {
        users.setPasswordHash("alice", "$pbkdf2-sha256$i=600000$c2FsdA$aGFzaA", T0);
        assertEquals(AuthResult.failure(), login("alice", "correct horse"));
    }

    @Test
    void aStoreThatCannotBeReadMakesTheProviderUnavailable() throws Exception {
        db.close();
        AuthResult result = login("alice", "correct horse");
        assertEquals(AuthStatus.UNAVAILABLE, result.status());
        assertTrue(result.reason().startsWith("The local user store cannot be read"), result.reason());
        assertFalse(result.reason().contains("correct horse"));
    }

    @Test
    void otherCredentialsAreNotItsToAccept() {
        AuthResult result = provider.authenticate(AuthRequest.firstFactor(new BearerToken("alice"), null));
        assertEquals(AuthResult.failure(), result);
    }

    @Test
    void asALaterFactorThePasswordMustBeTheEstablishedUsers() {
        try (PasswordCredential credential = new PasswordCredential("alice", "correct horse".toCharArray())) {
            assertEquals(
                    AuthStatus.SUCCESS,
                    provider.authenticate(new AuthRequest(credential, null, Identity.of("alice"), List.of("oidc")))
                            .status());
            assertEquals(
                    AuthResult.failure(),
                    provider.authenticate(new AuthRequest(credential, null, Identity.of("bob"), List.of("oidc"))));
        }
    }

    @Test
    void leavesThePresentedCredentialForTheServerToClear() {
        PasswordCredential credential = new PasswordCredential("alice", "correct horse".toCharArray());
        provider.authenticate(AuthRequest.firstFactor(credential, null));
        assertFalse(credential.isCleared());
        assertEquals("correct horse", new String(credential.password()));
    }

    /** Our password service, noting each stored hash that a password was checked against. */
    private static final class RecordingPasswords implements PasswordService {

        final List<String> verified = new ArrayList<>();
        private final UserPasswords delegate;

        RecordingPasswords(UserPasswords delegate) {
            this.delegate = delegate;
        }

        @Override
        public String encryptPassword(Object plaintext) {
            return delegate.encryptPassword(plaintext);
        }

        @Override
        public boolean passwordsMatch(Object submitted, String stored) {
            verified.add(stored);
            return delegate.passwordsMatch(submitted, stored);
        }
    }
}
