package dev.wirehaven.auth.totp.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TotpKeysTest {

    private static TotpKeys keys(int seed) {
        byte[] master = new byte[TotpKeys.KEY_BYTES];
        Arrays.fill(master, (byte) seed);
        return new TotpKeys(master);
    }

    @Test
    void aBackupCodesHashIsKeyedAndBoundToItsUser() {
        TotpKeys keys = keys(1);
        String hash = keys.backupCodeHash("alice", "abcdefghjk");

        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, keys.backupCodeHash("alice", "abcdefghjk"));
        assertNotEquals(hash, keys.backupCodeHash("bob", "abcdefghjk"));
        assertNotEquals(hash, keys.backupCodeHash("alice", "abcdefghjm"));
        assertNotEquals(hash, keys(2).backupCodeHash("alice", "abcdefghjk"));
        // the separator keeps (user, code) pairs apart that would concatenate alike
        assertNotEquals(keys.backupCodeHash("alice2", "3456789abc"), keys.backupCodeHash("alice", "23456789ab"));
    }

    @Test
    void refusesAKeyOfAnotherLength() {
        assertThrows(IllegalArgumentException.class, () -> new TotpKeys(new byte[16]));
    }

    @Test
    void itsTextSaysNothing() {
        assertFalse(keys(1).toString().matches(".*[0-9a-f]{8}.*"));
    }
}
