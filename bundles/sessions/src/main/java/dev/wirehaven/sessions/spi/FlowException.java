package dev.wirehaven.sessions.spi;

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

    public FlowException(FlowFailure failure, String message) {
        this(failure, message, List.of(), null);
    }

    public FlowException(FlowFailure failure, String message, List<String> methods, Duration retryAfter) {
        super(Objects.requireNonNull(message, "message"));
        this.failure = Objects.requireNonNull(failure, "failure");
        this.methods = List.copyOf(methods);
        this.retryAfter = retryAfter;
    }

    public static FlowException anotherFactor(List<String> methods) {
        return new FlowException(FlowFailure.ANOTHER_FACTOR_REQUIRED,
                "The first factor was accepted; answer one of " + String.join(", ", methods) + " next", methods, null);
    }

    public static FlowException rateLimited(Duration retryAfter) {
        return new FlowException(FlowFailure.RATE_LIMITED,
                "Too many failed attempts; try again in " + Math.max(1, retryAfter.toSeconds()) + " s", List.of(),
                retryAfter);
    }

    public FlowFailure failure() {
        return failure;
    }

    /** For {@link FlowFailure#ANOTHER_FACTOR_REQUIRED}: the methods to answer next; else empty. */
    public List<String> methods() {
        return methods;
    }

    /** For {@link FlowFailure#RATE_LIMITED}: when to try again; else {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
