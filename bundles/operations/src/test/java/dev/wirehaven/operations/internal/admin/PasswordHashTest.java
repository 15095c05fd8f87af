package dev.wirehaven.operations.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private static final int FAST = 1_000; // the cost does not change the behaviour under test
    private final SecureRandom random = new SecureRandom();

    @Test
    void theRightPasswordMatchesAndAnyOtherDoesNot() {
        PasswordHash h = PasswordHash.create("correct horse".toCharArray(), random, FAST);
        assertTrue(h.matches("correct horse".toCharArray()));
        assertFalse(h.matches("correct hors".toCharArray()));
        assertFalse(h.matches("Correct horse".toCharArray()));
        assertFalse(h.matches(new char[0]));
    }

    @Test
    void theEncodedFormRoundTripsAndNamesAlgorithmAndCost() {
        PasswordHash h = PasswordHash.create("pw".toCharArray(), random, FAST);
        String encoded = h.encoded();
        assertTrue(encoded.startsWith("$pbkdf2-sha256$i=1000$"), encoded);
        PasswordHash parsed = PasswordHash.parse(encoded);
        assertEquals(h, parsed);
        assertTrue(parsed.matches("pw".toCharArray()));
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTimeBecauseOfTheSalt() {
        PasswordHash a = PasswordHash.create("pw".toCharArray(), random, FAST);
        PasswordHash b = PasswordHash.create("pw".toCharArray(), random, FAST);
        assertNotEquals(a.encoded(), b.encoded());
    }

    @Test
    void aKnownAnswerFromAnIndependentPbkdf2Implementation() {
        // computed with Python's hashlib.pbkdf2_hmac (OpenSSL), which reproduces RFC 7914 section 11's
        // PBKDF2-HMAC-SHA256 vector: P="correct horse battery", S="wirehaven-salt-1", c=4096, 32 bytes
        PasswordHash vector = PasswordHash.parse(
                "$pbkdf2-sha256$i=4096$d2lyZWhhdmVuLXNhbHQtMQ$xsqV0MPMxS5M3I24nbxdIRB5nJoIgawO9SLvjfLPQ1Q");
        assertTrue(vector.matches("correct horse battery".toCharArray()));
        assertFalse(vector.matches("correct horse battery ".toCharArray()));
    }

    @Test
    void damagedOrTamperedStringsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("plain-password"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha1$i=1000$c2FsdHNhbHQ$AAAA"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha256$i=x$c2FsdHNhbHQ$AAAA"));
        assertThrows(
                IllegalArgumentException.class,
                () -> PasswordHash.parse(
                        "$pbkdf2-sha256$i=2000000000$d2lyZWhhdmVuLXNhbHQtMQ$xsqV0MPMxS5M3I24nbxdIRB5nJoIgawO9SLvjfLPQ1Q"));
        assertThrows(
                IllegalArgumentException.class, () -> PasswordHash.parse("$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$AAAA"));
    }

    @Test
    void theProductionCostMeetsCurrentGuidance() {
        // OWASP (2023): at least 600,000 iterations for PBKDF2-HMAC-SHA256
        assertTrue(PasswordHash.DEFAULT_ITERATIONS >= 600_000);
    }

    @Test
    void toStringRevealsNeitherSaltNorHash() {
        PasswordHash h = PasswordHash.create("pw".toCharArray(), random, FAST);
        assertFalse(h.toString().contains(h.encoded().substring(25)));
    }
}
