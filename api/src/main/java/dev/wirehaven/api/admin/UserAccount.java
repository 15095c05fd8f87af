package dev.wirehaven.api.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * A local user as an operator sees it in a list: never its password hash, which stays in the store.
 *
 * @param name the user name, exactly as entered (names are case-sensitive)
 * @param disabled true when the user's logins are refused
 * @param created when the user was added
 * @since 1.1
 */
public record UserAccount(String name, boolean disabled, Instant created) {

    /** Validates. */
    public UserAccount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a user name is not empty");
        }
    }
}
