package dev.wirehaven.sessions.spi;

import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A refused step of the flow. The message is for the client's user: it says what failed and what to
 * do, and never carries a secret.
 */
public final class FlowException extends Exception {

    private static final long serialVersionUID = 1L;

    private final FlowFailure failure;
    private final List<String> methods;
    private final Duration retryAfter;
    /** Not serialized: a refusal is answered where it is made. */
    private final transient List<MethodPrompt> prompts;

    private final transient ApprovalPrompt approval;

    public FlowException(FlowFailure failure, String message) {
        this(failure, message, List.of(), null);
    }

    public FlowException(FlowFailure failure, String message, List<String> methods, Duration retryAfter) {
        this(failure, message, methods, retryAfter, List.of(), null);
    }

    private FlowException(
            FlowFailure failure,
            String message,
            List<String> methods,
            Duration retryAfter,
            List<MethodPrompt> prompts,
            ApprovalPrompt approval) {
        super(Objects.requireNonNull(message, "message"));
        this.failure = Objects.requireNonNull(failure, "failure");
        this.methods = List.copyOf(methods);
        this.retryAfter = retryAfter;
        this.prompts = List.copyOf(prompts);
        this.approval = approval;
    }

    public static FlowException anotherFactor(List<String> methods) {
        return anotherFactor(methods, List.of());
    }

    /** {@link FlowFailure#ANOTHER_FACTOR_REQUIRED} with what to ask the person for each method. */
    public static FlowException anotherFactor(List<String> methods, List<MethodPrompt> prompts) {
        return new FlowException(
                FlowFailure.ANOTHER_FACTOR_REQUIRED,
                "The first factor was accepted; answer one of " + String.join(", ", methods) + " next",
                methods,
                null,
                prompts,
                null);
    }

    /** {@link FlowFailure#APPROVAL_PENDING}: the person has not approved the login yet. */
    public static FlowException approvalPending(ApprovalPrompt approval) {
        Objects.requireNonNull(approval, "approval");
        String where = approval.userCode().isEmpty()
                ? "approve the login at " + approval.verificationUri()
                : "open " + approval.verificationUri() + " and enter the code " + approval.userCode();
        return new FlowException(
                FlowFailure.APPROVAL_PENDING,
                "Waiting for approval: " + where + "; then send the same answer again after "
                        + approval.intervalSeconds() + " s",
                List.of(),
                java.time.Duration.ofSeconds(approval.intervalSeconds()),
                List.of(),
                approval);
    }

    /** {@link FlowFailure#STEP_UP_REQUIRED}: a policy asks for one more factor of these methods. */
    public static FlowException stepUpRequired(String why, List<String> methods, List<MethodPrompt> prompts) {
        return new FlowException(FlowFailure.STEP_UP_REQUIRED, why, methods, null, prompts, null);
    }

    public static FlowException rateLimited(Duration retryAfter) {
        return rateLimited("Too many failed attempts", retryAfter);
    }

    /**
     * {@link FlowFailure#RATE_LIMITED} for another reason than failed logins.
     *
     * @param why what was too many, such as "Too many connection requests from 192.0.2.7"; the
     *        message adds when to try again
     */
    public static FlowException rateLimited(String why, Duration retryAfter) {
        return new FlowException(
                FlowFailure.RATE_LIMITED,
                why + "; try again in " + seconds(retryAfter) + " s",
                List.of(),
                Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /**
     * {@link FlowFailure#BUSY}: a capacity limit of the server.
     *
     * @param why which limit, such as "The server is checking as many credentials as it may"; the
     *        message adds when to try again
     */
    public static FlowException busy(String why, Duration retryAfter) {
        return new FlowException(
                FlowFailure.BUSY,
                why + "; try again in " + seconds(retryAfter) + " s",
                List.of(),
                Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** Whole seconds, rounded up and at least 1, as the messages and {@code Retry-After} give them. */
    private static long seconds(Duration d) {
        long millis = Math.max(0, d.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    public FlowFailure failure() {
        return failure;
    }

    /** For {@link FlowFailure#ANOTHER_FACTOR_REQUIRED}: the methods to answer next; else empty. */
    public List<String> methods() {
        return methods;
    }

    /** What to ask the person for each of {@link #methods()}; may be empty. */
    public List<MethodPrompt> prompts() {
        return prompts;
    }

    /** For {@link FlowFailure#APPROVAL_PENDING}: what the person must do; else {@code null}. */
    public ApprovalPrompt approval() {
        return approval;
    }

    /** For {@link FlowFailure#RATE_LIMITED} and {@link FlowFailure#BUSY}: when to try again; else {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
