package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.Credential;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One answer to a challenge (a login's factor, or re-authentication): which factor it is, whether
 * the user name or the address is locked out, the credential it carries, the auth chain's decision,
 * and the counting and recording of failures.
 *
 * <p>A failure answers with the provider's safe reason, which by the SPI's contract never says which
 * part of the credential was wrong; every failure is a security event and counts against the user
 * name and the source address, and the failure that reaches the limit starts a lockout (a second
 * security event) and is answered RATE_LIMITED, so that the client waits instead of trying again.
 *
 * <p>The provider's check runs through the {@link VerificationGate}, so that a burst of logins waits in a
 * bounded queue or is refused BUSY. Nothing here takes a session lock: the flow calls
 * {@link #attempt} with a copy of the session read under its lock, and saves the outcome under the
 * lock again after checking that the session did not change meanwhile.
 */
final class Login {

    private final AuthChain chain;
    private final LoginThrottle throttle;
    private final VerificationGate gate;
    private final FlowEvents events;
    private final Supplier<SessionSettings> settings;
    private final Clock clock;

    Login(
            AuthChain chain,
            LoginThrottle throttle,
            VerificationGate gate,
            FlowEvents events,
            Supplier<SessionSettings> settings,
            Clock clock) {
        this.chain = chain;
        this.throttle = throttle;
        this.gate = gate;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What an accepted answer established.
     *
     * @param identity who the client is
     * @param nextMethods the methods of which one must follow, empty when the login is complete
     * @param completedMethods the methods passed so far, this one included
     */
    record Outcome(Identity identity, List<String> nextMethods, List<String> completedMethods) {
        boolean complete() {
            return nextMethods.isEmpty();
        }
    }

    /**
     * Verifies one answer for session {@code s}.
     *
     * @param reauthentication true for a session that is authenticated already (its user must not change)
     * @param s the session as read under its lock; not locked now, and not saved here
     * @throws FlowException INVALID_REQUEST, UNAUTHORIZED, RATE_LIMITED, BUSY or UNAVAILABLE
     */
    Outcome attempt(SessionRecord s, AuthResponse response, InetAddress source, boolean reauthentication)
            throws FlowException {
        String method = response.method();
        List<String> firstFactorMethods =
                reauthentication || !s.completedMethods().isEmpty() ? chain.methods() : s.challengeMethods();
        boolean further =
                !s.completedMethods().isEmpty() && s.challengeMethods().contains(method);
        if (!further && !firstFactorMethods.contains(method)) {
            List<String> acceptable = s.completedMethods().isEmpty() ? firstFactorMethods : s.challengeMethods();
            throw new FlowException(
                    FlowFailure.INVALID_REQUEST,
                    "method " + method + " is not one of the methods" + " acceptable now: "
                            + String.join(", ", acceptable));
        }
        String user = further || reauthentication ? s.user() : response.username();
        Instant now = clock.instant();
        List<String> keys = throttleKeys(user, source);
        checkLockout(keys, now);

        Set<CredentialKind> kinds = chain.kinds(method);
        if (kinds.isEmpty()) {
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "No provider of method " + method + " is installed now; try again later or use another method");
        }
        Credential credential = Credentials.from(response, kinds, further || reauthentication ? s.user() : null);
        AuthRequest request = further
                ? new AuthRequest(credential, source, s.identity(), s.completedMethods())
                : AuthRequest.firstFactor(credential, source);
        AuthResult result;
        try (VerificationGate.Slot slot = gate.enter()) {
            result = chain.verify(method, request);
        } finally {
            if (credential instanceof PasswordCredential password) {
                password.clear();
            }
        }
        String presentedUser = credential instanceof PasswordCredential p ? p.username() : user;
        return switch (result.status()) {
            case SUCCESS, NEEDS_ANOTHER_FACTOR ->
                accepted(s, result, method, further, reauthentication, keys, source, presentedUser);
            case FAILURE -> throw failed(s, method, presentedUser, source, keys, result.reason());
            case UNAVAILABLE ->
                throw new FlowException(
                        FlowFailure.UNAVAILABLE,
                        "The server cannot check credentials" + " of method " + method
                                + " now (its identity source is unavailable); try again later");
        };
    }

    private Outcome accepted(
            SessionRecord s,
            AuthResult result,
            String method,
            boolean further,
            boolean reauthentication,
            List<String> keys,
            InetAddress source,
            String presentedUser)
            throws FlowException {
        Identity identity = result.identity().orElseThrow();
        String mustBe = further || reauthentication ? s.user() : null;
        if (mustBe != null && !mustBe.equals(identity.user())) {
            // a factor of someone else: as bad as a wrong one, and answered the same way
            throw failed(s, method, presentedUser, source, keys, AuthResult.GENERIC_FAILURE);
        }
        List<String> completed = new ArrayList<>(further ? s.completedMethods() : List.of());
        completed.add(method);
        if (result.isSuccess()) {
            throttle.reset(userKey(identity.user()));
            return new Outcome(identity, List.of(), completed);
        }
        return new Outcome(identity, result.nextMethods(), completed);
    }

    private FlowException failed(
            SessionRecord s, String method, String user, InetAddress source, List<String> keys, String reason) {
        Instant now = clock.instant();
        LoginLimits limits = settings.get().limits();
        String who = user == null || user.isEmpty() ? "an unnamed user" : "user '" + user + "'";
        String from = source == null ? "" : " from " + source.getHostAddress();
        events.security(
                SecurityEvent.AUTH_FAILURE,
                Severity.LOW,
                user,
                source,
                s.id(),
                "failed login of " + who + from + " with method " + method);
        Optional<Duration> lockout = Optional.empty();
        for (String key : keys) {
            Optional<Duration> started = throttle.recordFailure(key, now, limits);
            if (started.isPresent()) {
                events.security(
                        SecurityEvent.RATE_LIMITED,
                        Severity.MEDIUM,
                        user,
                        source,
                        s.id(),
                        limits.maxFailures() + " failed logins within " + Durations.format(limits.window()) + " for "
                                + describe(key) + "; locked out for " + Durations.format(started.get()));
                lockout = longer(lockout, started.get());
            }
        }
        if (lockout.isPresent()) {
            return FlowException.rateLimited(lockout.get());
        }
        String message = reason == null || reason.isBlank() || reason.equals(AuthResult.GENERIC_FAILURE)
                ? "Authentication failed: the credentials were not accepted"
                : reason;
        return new FlowException(FlowFailure.UNAUTHORIZED, message);
    }

    private void checkLockout(List<String> keys, Instant now) throws FlowException {
        Optional<Duration> wait = Optional.empty();
        for (String key : keys) {
            Optional<Duration> k = throttle.retryAfter(key, now);
            if (k.isPresent()) {
                wait = longer(wait, k.get());
            }
        }
        if (wait.isPresent()) {
            throw FlowException.rateLimited(wait.get());
        }
    }

    private static List<String> throttleKeys(String user, InetAddress source) {
        List<String> keys = new ArrayList<>(2);
        if (user != null && !user.isBlank()) {
            keys.add(userKey(user));
        }
        if (source != null) {
            keys.add("source:" + SourceKey.of(source));
        }
        return keys;
    }

    /** Case-folded: a guesser must not get a fresh count by changing the case of a name. */
    private static String userKey(String user) {
        return "user:" + user.toLowerCase(Locale.ROOT);
    }

    private static String describe(String key) {
        return key.startsWith("user:") ? "user name '" + key.substring(5) + "'" : "address " + key.substring(7);
    }

    private static Optional<Duration> longer(Optional<Duration> a, Duration b) {
        return a.isPresent() && a.get().compareTo(b) >= 0 ? a : Optional.of(b);
    }
}
