package dev.wirehaven.responses.internal;

/**
 * A configured value that the responses cannot use. Its message names the key, the bad value and the
 * fix, so that the one ERROR line that refuses it is all an operator needs.
 */
final class ResponseConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ResponseConfigException(String key, String value, String fix) {
        super(key + " '" + Text.printable(value) + "' is not usable: " + fix);
    }
}
