package dev.wirehaven.auth.local.internal.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.apache.shiro.authc.credential.DefaultPasswordService;
import org.apache.shiro.crypto.hash.HashRequest;
import org.apache.shiro.crypto.hash.format.Shiro2CryptFormat;
import org.apache.shiro.crypto.support.hashes.argon2.Argon2HashProvider;
import org.apache.shiro.lang.util.ByteSource;
import org.junit.jupiter.api.Test;

class UserPasswordsTest {

    private final UserPasswords passwords = new UserPasswords(new SecureRandom());

    @Test
    void writesArgon2idInShirosCryptFormatWithItsCost() {
        String hash = passwords.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("$shiro2$argon2id$v=19$t=2,m=19456,p=1$"), hash);
        assertFalse(hash.contains("correct horse"));
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(passwords.hash("same".toCharArray()), passwords.hash("same".toCharArray()));
    }

    @Test
    void aCheckBeyondTheRunningAndWaitingOnesIsRefusedAtOnceInsteadOfQueueing() {
        UserPasswords one = new UserPasswords(new SecureRandom(), 1, 0);
        String hash = one.hash("correct horse".toCharArray());
        one.enterCheck(); // a check in progress takes the only place

        assertThrows(UserPasswords.HashingBusyException.class, () -> one.matches("correct horse".toCharArray(), hash));

        one.leaveCheck();
        assertTrue(one.matches("correct horse".toCharArray(), hash), "the place is free again");
    }

    @Test
    void matchesOnlyThePasswordTheHashWasMadeFrom() {
        String hash = passwords.hash("correct horse".toCharArray());
        assertTrue(passwords.matches("correct horse".toCharArray(), hash));
        assertFalse(passwords.matches("correct horsE".toCharArray(), hash));
        assertFalse(passwords.matches("".toCharArray(), hash));
    }

    @Test
    void hashesTheUtf8OfThePasswordSoThatEveryScriptWorks() {
        String hash = passwords.hash("Pässwörd ☃ 密码".toCharArray());
        assertTrue(passwords.matches("Pässwörd ☃ 密码".toCharArray(), hash));
        assertFalse(passwords.matches("Passwort ☃ 密码".toCharArray(), hash));
    }

    @Test
    void readsHashesMadeWithOtherArgon2Costs() {
        // Shiro's default cost; a later change of ours leaves such hashes in the store
        String other = new Shiro2CryptFormat()
                .format(new Argon2HashProvider()
                        .newHashFactory(new SecureRandom())
                        .generate(new HashRequest.Builder()
                                .setSource(ByteSource.Util.bytes("old secret"))
                                .setAlgorithmName("argon2id")
                                .build()));
        assertTrue(other.contains("t=1,m=65536,p=4"), other);
        assertTrue(passwords.matches("old secret".toCharArray(), other));
        assertFalse(passwords.matches("new secret".toCharArray(), other));
    }

    @Test
    void shirosOwnPasswordServiceReadsOurHashes() {
        // on a plain class path Shiro finds its Argon2 provider itself: our format is exactly Shiro's
        String hash = passwords.encryptPassword("correct horse".toCharArray());
        DefaultPasswordService shiro = new DefaultPasswordService();
        assertTrue(shiro.passwordsMatch("correct horse".toCharArray(), hash));
        assertFalse(shiro.passwordsMatch("wrong".toCharArray(), hash));
    }

    @Test
    void refusesHashesItCannotRead() {
        for (String unreadable : new String[] {
            "",
            "plain text",
            "$pbkdf2-sha256$i=600000$c2FsdA$aGFzaA",
            "$shiro2$2y$10$7rOjsAf2U/AKKqpMpCIn6e$tuOXZGsBvoDL.QZdJSFVXTOhxW6VlVu",
            "$shiro2$argon2id$nonsense",
            "$shiro2$"
        }) {
            assertThrows(
                    IllegalArgumentException.class, () -> passwords.matches("x".toCharArray(), unreadable), unreadable);
        }
    }

    @Test
    void takesCharArraysAndStringsThroughShirosInterface() {
        String hash = passwords.encryptPassword("secret");
        assertTrue(passwords.passwordsMatch("secret", hash));
        assertTrue(passwords.passwordsMatch("secret".toCharArray(), hash));
        assertThrows(IllegalArgumentException.class, () -> passwords.passwordsMatch(42, hash));
    }

    @Test
    void leavesTheCallersArrayAlone() {
        char[] password = "secret".toCharArray();
        passwords.hash(password);
        assertEquals("secret", new String(password));
    }
}
