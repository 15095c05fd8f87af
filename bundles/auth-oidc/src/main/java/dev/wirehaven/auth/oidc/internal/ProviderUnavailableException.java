package dev.wirehaven.auth.oidc.internal;

/**
 * The identity provider could not be asked (unreachable, an answer that is not one, a server error):
 * the provider answers {@code UNAVAILABLE} with this message, which is for the operator's log and
 * never contains a token or secret.
 */
final class ProviderUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    ProviderUnavailableException(String message) {
        super(message);
    }

    ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
