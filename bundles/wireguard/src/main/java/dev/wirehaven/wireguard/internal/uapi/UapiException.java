package dev.wirehaven.wireguard.internal.uapi;

/**
 * A failed userspace API operation and the errno that the reply carries.
 *
 * <p>The reply line is {@code errno=-N}: the stock {@code wg} tool reads the number and negates it
 * into its own {@code errno} ({@code ipc-uapi.h}: {@code errno = -ret}), and wireguard-go sends
 * negative values, so "Address already in use" only reaches the user if the number is negative.
 */
final class UapiException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Linux errno values that the protocol uses. */
    static final int EIO = 5;

    static final int EINVAL = 22;
    static final int EPROTO = 71;
    static final int EADDRINUSE = 98;

    private final int errno;

    UapiException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    UapiException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The positive errno value. */
    int errno() {
        return errno;
    }

    /** The status line that ends a reply: {@code errno=-N}. */
    String statusLine() {
        return "errno=" + (-errno);
    }
}
