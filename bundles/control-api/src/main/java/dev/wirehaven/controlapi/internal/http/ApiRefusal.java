package dev.wirehaven.controlapi.internal.http;

import dev.wirehaven.api.control.ApiError;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request the control API answers with an error: the status, the {@link ApiError} body and the
 * headers that go with it. The message is for the client's user and safe to log: it names fields,
 * paths and limits, never a value the client sent.
 */
final class ApiRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** The challenge of every 401 (RFC 7235 requires one; RFC 6750 gives its form). */
    static final String BEARER_CHALLENGE = "Bearer realm=\"wirehaven\"";

    private final int status;
    /** Not serialized: a refusal is answered where it is made, never sent elsewhere. */
    private final transient ApiError body;

    private final transient Map<String, String> headers;

    private ApiRefusal(int status, ApiError body, Map<String, String> headers) {
        super(body.error() + ": " + body.message(), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    private ApiRefusal(int status, String code, String message) {
        this(status, ApiError.of(code, message), Map.of());
    }

    int status() {
        return status;
    }

    ApiError body() {
        return body;
    }

    /** Headers to add, such as {@code Allow}, {@code WWW-Authenticate} or {@code Retry-After}. */
    Map<String, String> headers() {
        return headers;
    }

    static ApiRefusal invalid(String message) {
        return new ApiRefusal(400, FlowFailure.INVALID_REQUEST.code(), message);
    }

    static ApiRefusal unauthorized(String message) {
        return new ApiRefusal(
                401,
                ApiError.of(FlowFailure.UNAUTHORIZED.code(), message),
                Map.of("WWW-Authenticate", BEARER_CHALLENGE));
    }

    static ApiRefusal httpsRequired(String message) {
        return new ApiRefusal(403, FlowFailure.FORBIDDEN.code(), message);
    }

    static ApiRefusal notFound(String message) {
        return new ApiRefusal(404, FlowFailure.NOT_FOUND.code(), message);
    }

    static ApiRefusal methodNotAllowed(String method, List<String> allowed) {
        return new ApiRefusal(
                405,
                ApiError.of("method_not_allowed", method + " is not allowed here; use " + String.join(" or ", allowed)),
                Map.of("Allow", String.join(", ", allowed)));
    }

    /**
     * 408: the body did not arrive in time. With {@code Connection: close}: the rest of it may still be
     * on its way and is not read.
     */
    static ApiRefusal bodyTimeout(String message) {
        return new ApiRefusal(408, ApiError.of("request_timeout", message), Map.of("Connection", "close"));
    }

    /** With {@code Connection: close}: the rest of the body may still be on its way and is not read. */
    static ApiRefusal tooLarge(String message) {
        return new ApiRefusal(413, ApiError.of("too_large", message), Map.of("Connection", "close"));
    }

    static ApiRefusal unsupportedMediaType(String message) {
        return new ApiRefusal(415, "unsupported_media_type", message);
    }

    static ApiRefusal unavailable(String message) {
        return new ApiRefusal(503, FlowFailure.UNAVAILABLE.code(), message);
    }

    /** A failure the server did not expect; the details stay in the log. */
    static ApiRefusal internal() {
        return new ApiRefusal(
                500,
                "internal_error",
                "The server failed on this request; the details are in its log. Try again later.");
    }

    /** A refused step of the flow, with its status, code, methods and the headers its failure calls for. */
    static ApiRefusal of(FlowException e) {
        FlowFailure failure = e.failure();
        Map<String, String> headers = new LinkedHashMap<>();
        if (failure.httpStatus() == 401) {
            headers.put("WWW-Authenticate", BEARER_CHALLENGE);
        }
        if (failure == FlowFailure.RATE_LIMITED || failure == FlowFailure.BUSY || e.retryAfter() != null) {
            headers.put("Retry-After", Long.toString(retryAfterSeconds(e.retryAfter())));
        }
        return new ApiRefusal(
                failure.httpStatus(),
                new ApiError(failure.code(), e.getMessage(), e.methods(), e.prompts(), e.approval()),
                headers);
    }

    /** Whole seconds, rounded up and at least 1, as {@code Retry-After} carries them. */
    static long retryAfterSeconds(Duration retryAfter) {
        if (retryAfter == null) {
            return 1;
        }
        long millis = Math.max(0, retryAfter.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }
}
