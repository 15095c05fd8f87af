package dev.wirehaven.auth.totp.internal.store;

import java.util.Objects;

/**
 * The user names this bundle stores: the same rule as the local users' (1 to 128 characters, no control
 * characters, no surrounding white space), so that any name a first factor proves fits the column.
 */
public final class UserNames {

    /** The longest user name, in UTF-16 chars: the column is VARCHAR(128) on both stores. */
    public static final int MAX_LENGTH = 128;

    private UserNames() {}

    /**
     * @return the name, unchanged
     * @throws IllegalArgumentException naming the rule that the name breaks
     */
    public static String check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a user name must have 1.." + MAX_LENGTH + " characters, this one has " + name.length());
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a user name must not contain control characters (tab, newline, ...)");
        }
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("a user name must not be blank or begin or end with white space");
        }
        return name;
    }
}
