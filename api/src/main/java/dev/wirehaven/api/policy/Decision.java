package dev.wirehaven.api.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link PolicyEngine}'s answer: the verdict, why, and how long the server may reuse it.
 *
 * <p>The reason is written to the audit log and may be shown to the user ("port 22 is not open to
 * group contractors"); it must not contain secrets. The time to live bounds how long the server
 * caches the decision before asking again; {@link Duration#ZERO} means "ask every time". A policy
 * change withdraws cached decisions sooner: the server asks again when an engine's service
 * properties change or the engine goes away.
 *
 * @param verdict the verdict
 * @param reason why, for the audit log and the user; not null (empty only for
 *        {@link Verdict#NOT_APPLICABLE})
 * @param timeToLive how long the decision may be reused; not negative
 * @param stepUpMethods for {@link Verdict#STEP_UP}, the auth methods of which the user must pass one
 *        ({@link dev.wirehaven.api.auth.AuthProvider#method()}), at least one; empty otherwise
 */
public record Decision(Verdict verdict, String reason, Duration timeToLive, List<String> stepUpMethods) {

    /** Checks that the parts fit the verdict, and copies the method list. */
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(timeToLive, "timeToLive");
        stepUpMethods = List.copyOf(Objects.requireNonNull(stepUpMethods, "stepUpMethods"));
        if (timeToLive.isNegative()) {
            throw new IllegalArgumentException("the time to live is negative: " + timeToLive);
        }
        if (verdict != Verdict.NOT_APPLICABLE && reason.isBlank()) {
            throw new IllegalArgumentException("a " + verdict + " decision needs a reason");
        }
        if (verdict == Verdict.STEP_UP && stepUpMethods.isEmpty()) {
            throw new IllegalArgumentException("a STEP_UP decision must name at least one method");
        }
        if (verdict != Verdict.STEP_UP && !stepUpMethods.isEmpty()) {
            throw new IllegalArgumentException("only a STEP_UP decision names methods");
        }
        for (String m : stepUpMethods) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("a step-up method is blank");
            }
        }
    }

    /** The request may proceed. */
    public static Decision allow(String reason, Duration timeToLive) {
        return new Decision(Verdict.ALLOW, reason, timeToLive, List.of());
    }

    /** The request is refused. */
    public static Decision deny(String reason, Duration timeToLive) {
        return new Decision(Verdict.DENY, reason, timeToLive, List.of());
    }

    /** The request may proceed after one more factor of {@code methods}. */
    public static Decision stepUp(List<String> methods, String reason, Duration timeToLive) {
        return new Decision(Verdict.STEP_UP, reason, timeToLive, methods);
    }

    /**
     * This engine has no rule for the request. Not cached by the server (time to live zero), so
     * an engine that gains a rule is asked at once.
     */
    public static Decision notApplicable() {
        return new Decision(Verdict.NOT_APPLICABLE, "", Duration.ZERO, List.of());
    }
}
