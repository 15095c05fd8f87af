package dev.wirehaven.auth.totp.internal.factor;

/**
 * An enrollment command was refused or failed; the message is a sentence for the operator that says
 * what was wrong and what to do (and never contains a secret or a code).
 */
final class EnrollmentException extends Exception {

    private static final long serialVersionUID = 1L;

    EnrollmentException(String message) {
        super(message);
    }

    EnrollmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
