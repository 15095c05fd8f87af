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
 * @param methods for {@code another_factor_required} and {@code step_up_required}: the methods to
 *        answer next; else empty
 * @param prompts what to ask the person for each of {@code methods} (since 1.1)
 * @param approval for {@code approval_pending}: what the person must do, and when to ask again
 *        (since 1.1); else {@code null}
 */
public record ApiError(
        String error, String message, List<String> methods, List<MethodPrompt> prompts, ApprovalPrompt approval) {

    /** Validates. */
    public ApiError {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        methods = Messages.list("methods", methods);
        prompts = Messages.values("prompts", prompts);
    }

    /** An error with methods but no prompts: the form of version 1.0. */
    public ApiError(String error, String message, List<String> methods) {
        this(error, message, methods, List.of(), null);
    }

    /** An error without further methods. */
    public static ApiError of(String error, String message) {
        return new ApiError(error, message, List.of());
    }
}
