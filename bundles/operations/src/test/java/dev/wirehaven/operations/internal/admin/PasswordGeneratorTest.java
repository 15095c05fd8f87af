package dev.wirehaven.operations.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordGeneratorTest {

    @Test
    void passwordsHaveTheFullLengthAndOnlyUnambiguousCharacters() {
        PasswordGenerator g = new PasswordGenerator(new SecureRandom());
        for (int i = 0; i < 200; i++) {
            char[] pw = g.next();
            assertEquals(PasswordGenerator.LENGTH, pw.length);
            for (char c : pw) {
                assertTrue(PasswordGenerator.ALPHABET.indexOf(c) >= 0, "unexpected character " + c);
            }
        }
    }

    @Test
    void theAlphabetLeavesOutLookAlikes() {
        for (char c : "0Oo1lIi".toCharArray()) {
            assertEquals(-1, PasswordGenerator.ALPHABET.indexOf(c), "look-alike " + c);
        }
        Set<Character> distinct = new HashSet<>();
        PasswordGenerator.ALPHABET.chars().forEach(c -> distinct.add((char) c));
        assertEquals(55, distinct.size());
    }

    @Test
    void everySymbolOfTheAlphabetIsUsed() {
        PasswordGenerator g = new PasswordGenerator(new SecureRandom());
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            for (char c : g.next()) {
                seen.add(c);
            }
        }
        // 10,000 draws from 55 symbols: missing one has probability about 55 * e^-182
        assertEquals(PasswordGenerator.ALPHABET.length(), seen.size());
        assertNotEquals(new String(g.next()), new String(g.next()));
    }
}
