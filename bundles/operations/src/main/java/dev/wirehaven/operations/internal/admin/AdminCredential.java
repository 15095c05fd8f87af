package dev.wirehaven.operations.internal.admin;

import java.util.Objects;

/**
 * The operator's admin login as stored: the user name and the hash of the password (the password
 * itself is never stored).
 *
 * @param user the admin user name
 * @param passwordHash the salted slow hash of the password
 */
record AdminCredential(String user, PasswordHash passwordHash) {

    /** The admin user name that the first start creates. */
    static final String DEFAULT_USER = "admin";

    AdminCredential {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (user.isBlank()) {
            throw new IllegalArgumentException("the admin user name is blank");
        }
    }
}
