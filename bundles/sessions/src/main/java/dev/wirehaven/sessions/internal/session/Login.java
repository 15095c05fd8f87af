package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.Approval;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.Credential;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.api.auth.PendingApproval;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.sessions.internal.realm.AuthRealm;
import dev.wirehaven.sessions.internal.realm.SecondFactorRule;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One answer to a challenge (a login's factor, re-authentication, or a step-up): which factor it
 * is, which realm decides it, whether its keys are locked out, the credential it carries, the auth
 * chain's decision, the second factor the realm requires, and the counting and recording of failures.
 *
 * <p>A failure answers with the provider's safe reason, which by the SPI's contract never says which
 * part of the credential was wrong; every failure is a security event and counts against its keys
 * ({@link LoginKeys}), and the failure that reaches the limit starts a lockout (a second security
 * event) and is answered RATE_LIMITED, so that the client waits instead of trying again.
 *
 * <p>The provider's check runs through the {@link VerificationGate}, so that a burst of logins waits in a
 * bounded queue or is refused BUSY. Nothing here takes a session lock: the flow calls
 * {@link #attempt} with a copy of the session read under its lock, and saves the outcome under the
 * lock again after checking that the session did not change meanwhile.
 */
final class Login {

    /** Why the client answers. */
    enum Mode {
        /** The login of a CHALLENGED session, first factor or further. */
        LOGIN,
        /** A live session renews its token; its user must not change. */
        REAUTHENTICATION,
        /** A live session adds the factor a policy asked for. */
        STEP_UP
    }

    private final AuthChain chain;
    private final LoginThrottle throttle;
    private final VerificationGate gate;
    private final FlowEvents events;
    private final Supplier<SessionSettings> settings;
    private final Predicate<String> disabledUsers;
    private final Clock clock;
    private final PendingApprovals approvals = new PendingApprovals();

    Login(
            AuthChain chain,
            LoginThrottle throttle,
            VerificationGate gate,
            FlowEvents events,
            Supplier<SessionSettings> settings,
            Predicate<String> disabledUsers,
            Clock clock) {
        this.chain = chain;
        this.disabledUsers = disabledUsers;
        this.throttle = throttle;
        this.gate = gate;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What an accepted answer established.
     *
     * @param identity who the client is (so far)
     * @param nextMethods the methods of which one must follow, empty when the login is complete
     * @param completedMethods the methods passed so far, this one included
     * @param pending the approval the login waits for, or null
     */
    record Outcome(
            Identity identity, List<String> nextMethods, List<String> completedMethods, PendingApproval pending) {
        boolean complete() {
            return pending == null && nextMethods.isEmpty();
        }

        static Outcome waiting(PendingApproval approval) {
            return new Outcome(null, List.of(), List.of(), approval);
        }
    }

    /** The auth chain, for the prompts of the methods an outcome names. */
    AuthChain chain() {
        return chain;
    }

    Outcome attempt(SessionRecord s, AuthResponse response, InetAddress source, boolean reauthentication)
            throws FlowException {
        return attempt(s, response, source, reauthentication ? Mode.REAUTHENTICATION : Mode.LOGIN, List.of());
    }

    /**
     * Verifies one answer for session {@code s}.
     *
     * @param s the session as read under its lock; not locked now, and not saved here
     * @param stepUpMethods for {@link Mode#STEP_UP}, the methods the policy asked for
     * @throws FlowException INVALID_REQUEST, UNAUTHORIZED, RATE_LIMITED, BUSY or UNAVAILABLE
     */
    Outcome attempt(SessionRecord s, AuthResponse response, InetAddress source, Mode mode, List<String> stepUpMethods)
            throws FlowException {
        String method = response.method();
        boolean further = checkMethod(s, method, mode, stepUpMethods);
        String user = further || mode != Mode.LOGIN ? s.user() : response.username();
        Instant now = clock.instant();
        AuthRealm realm =
                further ? stampedRealm(s) : chain.realmFor(user, method).orElse(null);
        Set<CredentialKind> kinds = kindsFor(method, realm);
        if (kinds.isEmpty()) {
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "No provider of method " + method + " is installed now; try again later or use another method");
        }
        boolean approval = kinds.contains(CredentialKind.APPROVAL) && carriesNoCredential(response);
        Optional<PendingApprovals.Waiting> waiting = approval ? approvals.find(s.id(), method, now) : Optional.empty();
        if (waiting.isPresent() && now.isBefore(waiting.get().nextPollAt())) {
            // asked again before its interval: the same answer, without troubling the provider
            return Outcome.waiting(waiting.get().approval());
        }
        Credential credential = approval
                ? waiting.map(w -> new Approval(w.approval().reference())).orElseGet(Approval::start)
                : Credentials.from(response, kinds, further || mode != Mode.LOGIN ? s.user() : null);

        LoginKeys keys = LoginKeys.of(mode, further, s, user, source);
        LoginKeys.Counted counted = keys.count(throttle, now, settings.get().limits());
        if (chain.realmsConfigured() && realm == null && !further) {
            // no realm serves this name with this method: answered like a wrong password
            clear(credential);
            throw failed(s, method, user, source, counted, AuthResult.GENERIC_FAILURE);
        }
        AuthRequest request = further
                ? new AuthRequest(credential, source, s.identity(), s.completedMethods())
                : AuthRequest.firstFactor(credential, source);
        AuthChain.Verified verified;
        try (VerificationGate.Slot slot = gate.enter()) {
            verified = further
                    ? new AuthChain.Verified(chain.verify(method, request), null)
                    : chain.verifyWithFallback(realm, method, request);
        } catch (FlowException | RuntimeException e) {
            counted.forgive();
            throw e;
        } finally {
            clear(credential);
        }
        AuthResult result = verified.result();
        String presentedUser = credential instanceof PasswordCredential p ? p.username() : user;
        switch (result.status()) {
            case PENDING -> {
                counted.forgive();
                PendingApproval pending = result.pendingApproval().orElseThrow();
                if (!approvals.keep(s.id(), method, pending, now)) {
                    throw FlowException.busy(
                            "The server has as many logins waiting for approval as it may", Duration.ofSeconds(30));
                }
                return Outcome.waiting(pending);
            }
            case UNAVAILABLE -> {
                counted.forgive();
                approvals.forget(s.id(), method);
                throw new FlowException(
                        FlowFailure.UNAVAILABLE,
                        "The server cannot check credentials of method " + method
                                + " now (its identity source is unavailable); try again later");
            }
            case FAILURE -> {
                approvals.forget(s.id(), method);
                throw failed(s, method, presentedUser, source, counted, result.reason());
            }
            default -> {
                approvals.forget(s.id(), method);
                return accepted(
                        s,
                        result,
                        verified.fallbackMethod(),
                        method,
                        realm,
                        further,
                        mode,
                        counted,
                        source,
                        presentedUser);
            }
        }
    }

    /**
     * Whether {@code method} may answer now, and whether it continues a login (a further factor) or
     * starts one.
     */
    private boolean checkMethod(SessionRecord s, String method, Mode mode, List<String> stepUpMethods)
            throws FlowException {
        if (mode == Mode.STEP_UP) {
            if (!stepUpMethods.contains(method)) {
                throw notAcceptable(method, stepUpMethods);
            }
            return true;
        }
        List<String> firstFactorMethods =
                mode == Mode.REAUTHENTICATION || !s.completedMethods().isEmpty()
                        ? chain.methods()
                        : s.challengeMethods();
        boolean further =
                !s.completedMethods().isEmpty() && s.challengeMethods().contains(method);
        if (!further && !firstFactorMethods.contains(method)) {
            throw notAcceptable(method, s.completedMethods().isEmpty() ? firstFactorMethods : s.challengeMethods());
        }
        return further;
    }

    private static FlowException notAcceptable(String method, List<String> acceptable) {
        return new FlowException(
                FlowFailure.INVALID_REQUEST,
                "method " + method + " is not one of the methods acceptable now: " + String.join(", ", acceptable));
    }

    /** The realm that the session's first factor went through, if it is still configured. */
    private AuthRealm stampedRealm(SessionRecord s) {
        String name = s.identity() == null ? null : s.identity().attributes().get(AuthRealm.REALM_ATTRIBUTE);
        return name == null ? null : chain.realm(name).orElse(null);
    }

    /** The kinds the method's providers take; while none is bound, those of the realm's fallback. */
    private Set<CredentialKind> kindsFor(String method, AuthRealm realm) {
        Set<CredentialKind> kinds = chain.kinds(method);
        if (kinds.isEmpty() && realm != null && realm.primary().contains(method)) {
            for (String fallback : realm.fallback()) {
                kinds = chain.kinds(fallback);
                if (!kinds.isEmpty()) {
                    break;
                }
            }
        }
        return kinds;
    }

    private Outcome accepted(
            SessionRecord s,
            AuthResult result,
            String fallbackMethod,
            String method,
            AuthRealm realm,
            boolean further,
            Mode mode,
            LoginKeys.Counted counted,
            InetAddress source,
            String presentedUser)
            throws FlowException {
        Identity identity = result.identity().orElseThrow();
        Instant now = clock.instant();
        boolean sameUserRequired = further || mode != Mode.LOGIN;
        if ((sameUserRequired && !s.user().equals(identity.user()))
                || (identity.validUntil() != null && !identity.validUntil().isAfter(now))
                || (!further && realm != null && !realm.serves(identity.user()))) {
            // a factor of someone else, a proof already lapsed, a user the realm does not serve:
            // as bad as a wrong credential, and answered the same way
            throw failed(s, method, presentedUser, source, counted, AuthResult.GENERIC_FAILURE);
        }
        if (disabledUsers.test(identity.user())) {
            throw disabled(s, method, identity.user(), source, counted);
        }
        if (further) {
            identity = merged(s.identity(), identity);
        } else {
            if (realm != null) {
                identity = realm.stamp(identity, fallbackMethod);
            }
            // throttled on who the provider says it is, not only on the name typed
            Optional<Duration> wait = throttle.retryAfter(LoginKeys.userKey(identity.user()), now);
            if (wait.isPresent() && mode == Mode.LOGIN) {
                counted.forgive();
                throw FlowException.rateLimited(wait.get());
            }
            if (fallbackMethod != null) {
                events.security(
                        SecurityEvent.AUTH_FALLBACK,
                        Severity.MEDIUM,
                        identity.user(),
                        source,
                        s.id(),
                        "login of '" + identity.user() + "' through fallback " + fallbackMethod + " because " + method
                                + " is unavailable"
                                + (realm.fallbackGroups().isEmpty() ? "" : "; groups limited to " + identity.groups()));
            }
        }
        counted.succeeded(throttle, identity.user());
        List<String> completed = new ArrayList<>(further ? s.completedMethods() : List.of());
        completed.add(method);
        if (!result.isSuccess()) {
            return new Outcome(identity, result.nextMethods(), completed, null);
        }
        if (!further && realm != null) {
            List<String> second = secondFactor(realm, identity, s, source);
            return new Outcome(identity, second, completed, null);
        }
        return new Outcome(identity, List.of(), completed, null);
    }

    /**
     * The methods of which one must follow the first factor in {@code realm}, or none. A required
     * factor whose providers are all gone refuses the login: never a silent downgrade to one factor.
     */
    private List<String> secondFactor(AuthRealm realm, Identity identity, SessionRecord s, InetAddress source)
            throws FlowException {
        List<String> bound = realm.secondFactor().stream().filter(chain::bound).toList();
        boolean required = realm.rule() == SecondFactorRule.ENROLLED && bound.isEmpty()
                // nobody can say who enrolled while the provider is away: ask as if everyone had
                ? true
                : realm.needsSecondFactor(identity, id -> bound.stream().anyMatch(m -> chain.enrolled(m, id)));
        if (!required) {
            return List.of();
        }
        if (bound.isEmpty()) {
            events.security(
                    SecurityEvent.AUTH_FACTOR_UNAVAILABLE,
                    Severity.HIGH,
                    identity.user(),
                    source,
                    s.id(),
                    "login of '" + identity.user() + "' refused: realm " + realm.name() + " requires "
                            + String.join(" or ", realm.secondFactor()) + " and no provider of it is installed");
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "This account must also pass " + String.join(" or ", realm.secondFactor())
                            + ", which the server cannot check now; new logins wait until the operator restores it");
        }
        return bound;
    }

    /** The identity of the earlier factors, with what the later one adds (attributes, an earlier expiry). */
    private static Identity merged(Identity established, Identity added) {
        TreeMap<String, String> attributes = new TreeMap<>(added.attributes());
        attributes.putAll(established.attributes());
        Instant until = established.validUntil();
        if (added.validUntil() != null && (until == null || added.validUntil().isBefore(until))) {
            until = added.validUntil();
        }
        return new Identity(established.user(), established.groups(), attributes, until);
    }

    private FlowException failed(
            SessionRecord s, String method, String user, InetAddress source, LoginKeys.Counted counted, String reason) {
        Instant now = clock.instant();
        LoginLimits limits = settings.get().limits();
        String who = user == null || user.isEmpty() ? "an unnamed user" : "user '" + user + "'";
        String from = source == null ? "" : " from " + source.getHostAddress();
        events.security(
                SecurityEvent.AUTH_FAILURE,
                Severity.LOW,
                user == null ? "" : user,
                source,
                s.id(),
                "failed login of " + who + from + " with method " + method);
        Optional<Duration> lockout = Optional.empty();
        for (LoginKeys.Lockout started : counted.failed(throttle, now, limits)) {
            events.security(
                    SecurityEvent.RATE_LIMITED,
                    Severity.MEDIUM,
                    user == null ? "" : user,
                    source,
                    s.id(),
                    limits.maxFailures() + " failed logins within " + Durations.format(limits.window()) + " for "
                            + LoginKeys.describe(started.key()) + "; locked out for "
                            + Durations.format(started.duration()));
            lockout = lockout.isPresent() && lockout.get().compareTo(started.duration()) >= 0
                    ? lockout
                    : Optional.of(started.duration());
        }
        if (lockout.isPresent()) {
            return FlowException.rateLimited(lockout.get());
        }
        String message = reason == null || reason.isBlank() || reason.equals(AuthResult.GENERIC_FAILURE)
                ? "Authentication failed: the credentials were not accepted"
                : reason;
        return new FlowException(FlowFailure.UNAUTHORIZED, message);
    }

    /**
     * A login whose credential was right, of a user whom a security response disabled: answered like a
     * wrong credential, so that the answer does not confirm the password to whoever guessed it, and
     * recorded for the operator with the real reason. It does not count against the login limits: the
     * credential was not wrong.
     */
    private FlowException disabled(
            SessionRecord s, String method, String user, InetAddress source, LoginKeys.Counted counted) {
        counted.forgive();
        events.security(
                SecurityEvent.AUTH_FAILURE,
                Severity.MEDIUM,
                user,
                source,
                s.id(),
                "login of '" + user + "'" + (source == null ? "" : " from " + source.getHostAddress())
                        + " with method " + method + " refused: a security response disabled the user"
                        + " (wirehaven:responses lists it, wirehaven:undo ends it)");
        return new FlowException(FlowFailure.UNAUTHORIZED, "Authentication failed: the credentials were not accepted");
    }

    private static boolean carriesNoCredential(AuthResponse r) {
        return r.password() == null && r.oneTimeCode() == null && r.token() == null;
    }

    private static void clear(Credential credential) {
        if (credential instanceof PasswordCredential password) {
            password.clear();
        }
    }
}
