package dev.wirehaven.api.admin;

/**
 * An operator's action was refused or failed. The message is one sentence for the operator, as the
 * Gogo command would print it, that says what was wrong and, where there is one, what to do; it never
 * contains a password, a secret or a code.
 *
 * @since 1.1
 */
public class AdminActionException extends Exception {

    private static final long serialVersionUID = 1L;

    public AdminActionException(String message) {
        super(message);
    }

    public AdminActionException(String message, Throwable cause) {
        super(message, cause);
    }
}
