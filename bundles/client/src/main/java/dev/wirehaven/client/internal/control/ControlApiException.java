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

    /**
     * True when the session or its token is no longer valid (401 or 404 after authentication). The
     * 401 answers that ask for something more are not: {@code step_up_required} (a policy wants one more
     * factor of the live session), {@code approval_pending} and {@code another_factor_required}.
     */
    public boolean sessionGone() {
        return status == 404 || (status == 401 && !stepUpRequired() && !approvalPending() && !anotherFactorRequired());
    }

    /** 401 {@code another_factor_required}: answer one of {@link ApiError#methods()} next. */
    public boolean anotherFactorRequired() {
        return status == 401 && "another_factor_required".equals(code());
    }

    /** 401 {@code approval_pending} with its {@link ApiError#approval()}: ask again after its interval. */
    public boolean approvalPending() {
        return status == 401 && "approval_pending".equals(code()) && error.approval() != null;
    }

    /** 401 {@code step_up_required}: a policy asks the live session for one of {@link ApiError#methods()}. */
    public boolean stepUpRequired() {
        return status == 401 && "step_up_required".equals(code());
    }
}
