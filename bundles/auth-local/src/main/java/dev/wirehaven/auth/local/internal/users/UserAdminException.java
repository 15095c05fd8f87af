package dev.wirehaven.auth.local.internal.users;

/**
 * A user operation was refused or failed; the message is a sentence for the operator that says
 * what was wrong (and never contains a password).
 */
final class UserAdminException extends Exception {

    private static final long serialVersionUID = 1L;

    UserAdminException(String message) {
        super(message);
    }

    UserAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
