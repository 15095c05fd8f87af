package dev.wirehaven.auth.oidc.internal;

/**
 * A token that is not valid here (signature, algorithm, issuer, audience, time, a missing claim).
 * The client only ever sees the generic failure; this message says which check refused it, for a
 * DEBUG line, and never contains the token.
 */
final class InvalidTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
        super(message);
    }

    InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
