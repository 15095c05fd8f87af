package dev.wirehaven.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection could not be made or kept, for a reason a person can act on. The message says what
 * happened and what to do; {@link #reason()} lets a program tell the cases apart.
 */
public class ClientException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the client gave up. */
    public enum Reason {
        /** The server refused the credentials (wrong user name, password or code, or a disabled user). */
        AUTHENTICATION_FAILED,
        /** Too many failed attempts; {@link #retryAfter()} says when to try again. */
        RATE_LIMITED,
        /** The server's certificate is not the pinned one. */
        UNTRUSTED_CERTIFICATE,
        /** The server cannot be reached (name resolution, TCP, TLS) or did not answer in time. */
        UNREACHABLE,
        /** The server refused a step of the flow; the message carries its answer. */
        REFUSED,
        /** The tunnel could not be brought up on this host, or no handshake completed. */
        TUNNEL_FAILED,
        /** The credential prompter could not supply what the server asked for. */
        NO_CREDENTIALS,
        /** The connection was closed or interrupted while the flow ran. */
        CANCELLED,
        /**
         * The server's policy does not grant what was asked ({@link Connection#requestAccess}): it denied
         * the resource, or it asked for a further factor again after one was given. The message carries
         * the server's reason.
         *
         * @since 2.2
         */
        DENIED
    }

    private final Reason reason;
    private final transient Duration retryAfter;

    public ClientException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public ClientException(Reason reason, String message, Throwable cause) {
        this(reason, message, null, cause);
    }

    public ClientException(Reason reason, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#RATE_LIMITED}: how long the server asked to wait, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
