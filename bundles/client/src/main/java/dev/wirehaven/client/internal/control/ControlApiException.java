package dev.wirehaven.client.internal.control;

import dev.wirehaven.api.control.ApiError;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** The server answered a control call with an error status and an {@link ApiError}. */
public final class ControlApiException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ApiError error;
    private final transient Duration retryAfter;

    public ControlApiException(String call, int status, ApiError error, Duration retryAfter) {
        super(call + ": " + status + " " + error.error() + ": " + error.message());
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The server's error body (or one made from a non-JSON answer). */
    public ApiError error() {
        return error;
    }

    /** The machine-readable code, such as {@code unauthorized} or {@code expired}. */
    public String code() {
        return error.error();
    }

    /** The {@code Retry-After} of a 429 or 503, when the server sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** True when the session or its token is no longer valid (401 or 404 after authentication). */
    public boolean sessionGone() {
        return status == 401 || status == 404;
    }
}
