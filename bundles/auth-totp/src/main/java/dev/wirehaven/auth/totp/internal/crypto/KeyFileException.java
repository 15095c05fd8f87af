package dev.wirehaven.auth.totp.internal.crypto;

/**
 * The TOTP key file cannot be used: missing where secrets need it, readable by others, owned by
 * another user, or not a key. The message is a sentence for the operator that names the file and the
 * fix; it never contains key material.
 */
public final class KeyFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
