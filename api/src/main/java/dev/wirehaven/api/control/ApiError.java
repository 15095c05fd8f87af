package dev.wirehaven.api.control;

import java.util.List;
import java.util.Objects;

/**
 * The body of every 4xx and 5xx answer of the control API.
 *
 * @param error a stable, machine-readable code such as {@code invalid_request}, {@code unauthorized},
 *        {@code another_factor_required}, {@code rate_limited}, {@code out_of_order}, {@code expired}
 * @param message a sentence for a person, saying what failed and what to do; never a secret, and
 *        for failed authentication never which part of the credential was wrong
 * @param methods for {@code another_factor_required}: the methods to answer next; else empty
 */
public record ApiError(String error, String message, List<String> methods) {

    /** Validates. */
    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        methods = Messages.list("methods", methods);
    }

    /** An error without further methods. */
    public static ApiError of(String error, String message) {
        return new ApiError(error, message, List.of());
    }
}
