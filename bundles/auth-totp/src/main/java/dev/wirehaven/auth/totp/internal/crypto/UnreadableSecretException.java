package dev.wirehaven.auth.totp.internal.crypto;

/**
 * A stored secret does not decrypt with this key: the key file was replaced, or the row was altered or
 * moved to another user (the user name is authenticated with the ciphertext).
 */
public final class UnreadableSecretException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnreadableSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
