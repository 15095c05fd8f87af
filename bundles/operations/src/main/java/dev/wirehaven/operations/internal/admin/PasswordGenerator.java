package dev.wirehaven.operations.internal.admin;

import java.security.SecureRandom;

/**
 * Makes random passwords that a person can read off a terminal and type without mistakes: the
 * alphabet leaves out the characters that look alike in common fonts (0 O o, 1 l I i). With 55
 * symbols, each character carries about 5.8 bits; 20 characters give about 115 bits, beyond any
 * guessing even without the slow hash.
 */
final class PasswordGenerator {

    static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    static final int LENGTH = 20;

    private final SecureRandom random;

    PasswordGenerator(SecureRandom random) {
        this.random = random;
    }

    /** A new password; the caller wipes the array when done with it. */
    char[] next() {
        char[] password = new char[LENGTH];
        for (int i = 0; i < password.length; i++) {
            // nextInt(bound) is unbiased: it rejects the values that would favour the first symbols
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }
}
