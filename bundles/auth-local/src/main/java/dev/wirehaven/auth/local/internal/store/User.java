package dev.wirehaven.auth.local.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A local user: the row of the {@code users} table. The password is only ever here as its salted
 * slow hash, in a self-describing text format that names the algorithm and its cost.
 *
 * @param name the user name, exactly as entered (names are case-sensitive); see {@link #checkName(String)}
 * @param passwordHash the encoded hash, never the password
 * @param disabled true when the user may not log in
 * @param createdAt when the user was added
 * @param updatedAt when the password or the disabled flag last changed
 */
public record User(String name, String passwordHash, boolean disabled, Instant createdAt, Instant updatedAt) {

    /** The longest user name, in UTF-16 chars: the column is VARCHAR(128) on both stores. */
    public static final int MAX_NAME_LENGTH = 128;
    /** The longest encoded hash the column holds. */
    static final int MAX_HASH_LENGTH = 512;

    public User {
        checkName(name);
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (passwordHash.isEmpty() || passwordHash.length() > MAX_HASH_LENGTH) {
            throw new IllegalArgumentException("a password hash must have 1.." + MAX_HASH_LENGTH + " characters");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * Refuses a name that cannot be a user's: empty, longer than {@value #MAX_NAME_LENGTH} chars,
     * containing a control character (which would corrupt tables, logs and the line-based admin
     * channel), or blank or padded with white space (two names that print alike would be two users).
     *
     * @return the name, unchanged
     * @throws IllegalArgumentException naming the rule that the name breaks
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "a user name must have 1.." + MAX_NAME_LENGTH + " characters, this one has " + name.length());
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a user name must not contain control characters (tab, newline, ...)");
        }
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("a user name must not be blank or begin or end with white space");
        }
        return name;
    }

    /** Leaves the hash out: it is not secret like a password, but it is what an offline guesser needs. */
    @Override
    public String toString() {
        return "User[" + name + (disabled ? ", disabled" : "") + ", created " + createdAt + "]";
    }
}
