package dev.wirehaven.api.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordCredentialTest {

    @Test
    void theCallersArrayIsCopiedSoWipingItLeavesTheCredentialIntact() {
        char[] typed = "s3cret".toCharArray();
        PasswordCredential c = new PasswordCredential("alice", typed);
        java.util.Arrays.fill(typed, '\0');
        assertArrayEquals("s3cret".toCharArray(), c.password());
    }

    @Test
    void passwordHandsOutCopiesThatCannotChangeTheCredential() {
        PasswordCredential c = new PasswordCredential("alice", "s3cret".toCharArray());
        char[] first = c.password();
        first[0] = 'X';
        assertNotSame(first, c.password());
        assertArrayEquals("s3cret".toCharArray(), c.password());
    }

    @Test
    void clearWipesThePasswordAndLaterReadsFail() {
        PasswordCredential c = new PasswordCredential("alice", "s3cret".toCharArray());
        assertFalse(c.isCleared());
        c.clear();
        assertTrue(c.isCleared());
        assertThrows(IllegalStateException.class, c::password);
        c.clear(); // idempotent
    }

    @Test
    void tryWithResourcesClears() {
        PasswordCredential c = new PasswordCredential("alice", "s3cret".toCharArray());
        try (c) {
            assertArrayEquals("s3cret".toCharArray(), c.password());
        }
        assertTrue(c.isCleared());
    }

    @Test
    void toStringNamesTheUserButNeverThePassword() {
        String s = new PasswordCredential("alice", "s3cret".toCharArray()).toString();
        assertTrue(s.contains("alice"));
        assertFalse(s.contains("s3cret"));
    }

    @Test
    void aBlankUserNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordCredential(" ", new char[] {'x'}));
    }
}
