package dev.wirehaven.client.testing;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApiError;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.MethodPrompt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The credentials of {@link FakeControlServer}: which methods it offers and with what prompts, the one
 * user's password, one-time code and token, a second factor, an approval that stays pending for a
 * number of answers, and a step-up for live sessions. A method's kind is its prompt's where the test
 * gave one, else what its name says ({@code password}, {@code totp}, a token otherwise), as a 1.0
 * server's methods were understood.
 */
public final class FakeAuth {

    /** What the server answers to one {@link AuthResponse}: accepted, or an error with its status. */
    public record Verdict(int status, ApiError error, Duration retryAfter) {
        static final Verdict ACCEPTED = new Verdict(200, null, null);

        boolean accepted() {
            return error == null;
        }
    }

    // what the tests set
    public volatile List<String> methods = List.of("password");
    /** The challenge's prompts; empty is a 1.0 server. */
    public volatile List<MethodPrompt> prompts = List.of();

    public volatile String password = "secret";
    /** With {@link #secondFactor} left null, a code makes {@code totp} the second factor after the password. */
    public volatile String oneTimeCode;

    public volatile String token;
    /**
     * The methods of {@code another_factor_required} after a password; null for {@code totp} when there is
     * a {@link #oneTimeCode}, empty for none.
     */
    public volatile List<String> secondFactor;

    public volatile List<MethodPrompt> secondFactorPrompts = List.of();
    /** What {@code approval_pending} answers show; its expiry is checked against the server's clock. */
    public volatile ApprovalPrompt approval;
    /** How many answers of an approval method are answered {@code approval_pending} before it is granted. */
    public final AtomicInteger approvalsPending = new AtomicInteger();
    /** Asked of every live session in its status; cleared by a step-up the server accepts. */
    public volatile List<MethodPrompt> stepUp = List.of();
    /** The message of a refusal. */
    public volatile String refusalMessage = "the credentials were not accepted";

    public volatile int failuresBeforeRateLimit = 3;

    // what the tests read
    public final List<AuthResponse> responses = Collections.synchronizedList(new ArrayList<>());
    public final List<AuthResponse> stepUpResponses = Collections.synchronizedList(new ArrayList<>());
    /** When each answer of an approval method arrived, on the server's clock. */
    public final List<Instant> approvalAnswers = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger failures = new AtomicInteger();

    FakeAuth() {}

    /** An answer to {@code /auth} or {@code /reauth}; {@code firstDone} is the session's own flag, set here. */
    Verdict authenticate(AuthResponse r, boolean[] firstDone, Clock clock) {
        responses.add(r);
        if (failures.get() >= failuresBeforeRateLimit) {
            return new Verdict(429, ApiError.of("rate_limited", "too many failed attempts"), Duration.ofSeconds(42));
        }
        CredentialKind kind = kindOf(r.method());
        boolean secondFactorAnswer = firstDone[0] && factorMethods().contains(r.method());
        if (!methods.contains(r.method()) && !secondFactorAnswer) {
            return refuse();
        }
        Verdict v = check(kind, r, clock);
        if (!v.accepted()) {
            return v;
        }
        if (kind == CredentialKind.PASSWORD && !firstDone[0] && !factorMethods().isEmpty()) {
            firstDone[0] = true;
            return new Verdict(
                    401,
                    new ApiError(
                            "another_factor_required",
                            "the first factor was accepted; answer one of " + factorMethods(),
                            factorMethods(),
                            secondFactorPrompts,
                            null),
                    null);
        }
        firstDone[0] = false;
        return Verdict.ACCEPTED;
    }

    /** An answer to {@code /step-up}. */
    Verdict stepUp(AuthResponse r, Clock clock) {
        stepUpResponses.add(r);
        List<MethodPrompt> asked = stepUp;
        if (asked.isEmpty()) {
            return new Verdict(409, ApiError.of("out_of_order", "no step-up is asked of this session"), null);
        }
        if (asked.stream().noneMatch(p -> p.method().equals(r.method()))) {
            return refuse();
        }
        Verdict v = check(kindOf(r.method()), r, clock);
        if (v.accepted()) {
            stepUp = List.of();
        }
        return v;
    }

    private Verdict check(CredentialKind kind, AuthResponse r, Clock clock) {
        boolean ok = switch (kind) {
            case PASSWORD -> password.equals(r.password());
            case ONE_TIME_CODE -> oneTimeCode != null && oneTimeCode.equals(r.oneTimeCode());
            case BEARER_TOKEN -> token != null && token.equals(r.token());
            case APPROVAL -> r.password() == null && r.oneTimeCode() == null && r.token() == null;
        };
        if (!ok) {
            return refuse();
        }
        if (kind == CredentialKind.APPROVAL) {
            approvalAnswers.add(clock.instant());
            ApprovalPrompt a = approval;
            if (clock.instant().isAfter(a.expiresAt())) {
                return new Verdict(401, ApiError.of("unauthorized", "the approval lapsed"), null);
            }
            if (approvalsPending.getAndDecrement() > 0) {
                return new Verdict(
                        401,
                        new ApiError(
                                "approval_pending",
                                "waiting for approval at " + a.verificationUri(),
                                List.of(),
                                List.of(),
                                a),
                        Duration.ofSeconds(a.intervalSeconds()));
            }
        }
        return Verdict.ACCEPTED;
    }

    private Verdict refuse() {
        failures.incrementAndGet();
        return new Verdict(401, ApiError.of("unauthorized", refusalMessage), null);
    }

    private List<String> factorMethods() {
        List<String> f = secondFactor;
        if (f == null) {
            return oneTimeCode != null ? List.of("totp") : List.of();
        }
        return f;
    }

    private CredentialKind kindOf(String method) {
        return Stream.of(prompts, secondFactorPrompts, stepUp)
                .flatMap(List::stream)
                .filter(p -> p.method().equals(method))
                .map(MethodPrompt::kind)
                .findFirst()
                .orElse(
                        switch (method) {
                            case "password" -> CredentialKind.PASSWORD;
                            case "totp" -> CredentialKind.ONE_TIME_CODE;
                            default -> CredentialKind.BEARER_TOKEN;
                        });
    }
}
