package dev.wirehaven.auth.totp.internal.codes;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The backup method for a lost phone: {@value #PER_USER} single-use codes per user, each
 * {@value #LENGTH} characters from an alphabet without the look-alikes 0/o, 1/l/i, shown as two groups
 * of five ({@code abcde-fghij}) and typed in either case, with or without the hyphen.
 *
 * <p>31 symbols to the power 10 is about 2^49.5: far more than an online guesser gets tries before the
 * server's rate limit, while the codes stay short enough to read off paper. A code is recognised by its
 * shape: ten symbols of this alphabet can never be a TOTP code, which has at most eight digits.
 */
public final class BackupCodes {

    /** How many codes a user gets at a time; a new set replaces the old one whole. */
    public static final int PER_USER = 10;

    /** Symbols in a code, without the grouping hyphen. */
    public static final int LENGTH = 10;

    static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
    private static final int GROUP = 5;

    private final SecureRandom random;

    public BackupCodes(SecureRandom random) {
        this.random = random;
    }

    /** A new set of {@value #PER_USER} distinct codes, in their shown form. */
    public List<String> generate() {
        List<String> codes = new ArrayList<>(PER_USER);
        while (codes.size() < PER_USER) {
            String code = shown(one());
            if (!codes.contains(code)) {
                codes.add(code);
            }
        }
        return codes;
    }

    private String one() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** {@code abcdefghij} as {@code abcde-fghij}. */
    static String shown(String normal) {
        return normal.substring(0, GROUP) + "-" + normal.substring(GROUP);
    }

    /**
     * The code as stored and compared (lower case, no hyphen or spaces), when {@code entered} has the
     * shape of a backup code; empty for anything else, such as a TOTP code.
     */
    public static Optional<String> normalise(String entered) {
        StringBuilder normal = new StringBuilder(LENGTH);
        for (int i = 0; i < entered.length(); i++) {
            char c = entered.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            // Character.toLowerCase(char) is locale-independent, unlike String.toLowerCase()
            char lower = Character.toLowerCase(c);
            if (ALPHABET.indexOf(lower) < 0 || normal.length() == LENGTH) {
                return Optional.empty();
            }
            normal.append(lower);
        }
        return normal.length() == LENGTH ? Optional.of(normal.toString()) : Optional.empty();
    }
}
