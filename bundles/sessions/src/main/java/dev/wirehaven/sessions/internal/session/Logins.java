package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Steps 3 to 4 of the flow, and re-authentication before a session lapses: the client answers the
 * challenge, the auth chain decides, and the server grants a token (or asks for another factor).
 *
 * <p>Credentials are the exception to working under the session's lock: checking them may take long
 * (Argon2, a directory), and the lock is striped, so an unrelated session's keep-alive could wait
 * behind it. A login reads the session under the lock, checks the credentials without any lock, then
 * saves the outcome under the lock only if the session is still where the check found it.
 */
final class Logins {

    /** The longest a login may wait for a person's approval (a device-code login) before it starts over. */
    static final Duration LONGEST_APPROVAL = Duration.ofMinutes(15);

    private final Supplier<SessionSettings> settings;
    private final SessionAccess access;
    private final Login login;
    private final KeyOwnership keys;
    private final SessionTokens tokens;
    private final SessionLifecycle lifecycle;
    private final FlowEvents events;
    private final SessionRepository sessions;
    /** Serialises the count and the save of one user's logins (see {@link #refuseOverLimit}). */
    private final SessionLocks userLocks = new SessionLocks();

    Logins(
            Supplier<SessionSettings> settings,
            SessionAccess access,
            Login login,
            KeyOwnership keys,
            SessionTokens tokens,
            SessionLifecycle lifecycle,
            FlowEvents events,
            SessionRepository sessions) {
        this.sessions = sessions;
        this.settings = settings;
        this.access = access;
        this.login = login;
        this.keys = keys;
        this.tokens = tokens;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) throws FlowException {
        // the challenge as it is now, read under the lock ...
        SessionRecord read = access.locked(sessionId, () -> {
            SessionRecord s = access.find(sessionId);
            if (s.phase() == SessionPhase.EXPIRED) {
                throw FlowErrors.expired();
            }
            if (s.phase() != SessionPhase.CHALLENGED) {
                throw FlowErrors.outOfOrder(s, "authenticate");
            }
            if (!access.now().isBefore(s.expiresAt())) {
                lifecycle.close(s, SessionPhase.EXPIRED, "the auth challenge was not answered in time");
                throw new FlowException(
                        FlowFailure.EXPIRED,
                        "The auth challenge lapsed; start again with a new" + " connection request");
            }
            return s;
        });
        // ... the credentials checked without any lock ...
        Login.Outcome outcome = SessionAccess.guarded(() -> login.attempt(read, response, source, false));
        // ... and the outcome saved under the lock, if the challenge is still the one that was answered
        Authenticated done = access.locked(sessionId, () -> {
            SessionRecord s = access.find(sessionId);
            if (s.phase() == SessionPhase.EXPIRED) {
                throw FlowErrors.expired();
            }
            if (s.phase() != SessionPhase.CHALLENGED || !sameFactors(s, read)) {
                throw FlowErrors.changedMeanwhile(read);
            }
            Instant now = access.now();
            if (outcome.pending() != null) {
                waitForApproval(s, response.method(), outcome, now);
            }
            if (!outcome.complete()) {
                SessionRecord next = s.withFactor(
                        outcome.identity(),
                        outcome.nextMethods(),
                        outcome.completedMethods(),
                        now.plus(settings.get().challengeTimeout()));
                access.save(next, s);
                events.step(
                        next,
                        SessionPhase.CHALLENGED,
                        "method " + response.method() + " accepted for user '" + next.user() + "'; challenged with "
                                + String.join(", ", outcome.nextMethods()));
                throw anotherFactor(outcome.nextMethods());
            }
            // counted and saved under the user's lock, so that two logins of one user cannot both take the last place
            ReentrantLock userLock = userLocks.of(outcome.identity().user());
            userLock.lock();
            try {
                keys.refuseKeyOfAnotherUser(s, outcome.identity().user());
                refuseOverLimit(s, outcome.identity().user());
                String token = tokens.newToken();
                SessionRecord next = s.authenticated(
                        SessionTokens.hash(token),
                        outcome.identity(),
                        Keys.generatePreshared().toBase64(),
                        now,
                        lapses(outcome, now));
                access.save(next, s);
                events.step(
                        next,
                        SessionPhase.AUTHENTICATED,
                        "authenticated as '" + next.user() + "' with "
                                + String.join(" and ", outcome.completedMethods()) + groups(next)
                                + "; token valid until "
                                + next.expiresAt());
                return new Authenticated(next, new SessionGrant(next.id(), token, next.expiresAt()));
            } finally {
                userLock.unlock();
            }
        });
        keys.supersedeOthers(done.session());
        return done.grant();
    }

    SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        // as for authenticate: read under the lock, check without it, save under it if nothing changed
        SessionRecord read = access.locked(
                sessionId, () -> access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "re-authenticate"));
        Login.Outcome outcome = SessionAccess.guarded(() -> login.attempt(read, response, source, true));
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "re-authenticate");
            if (!sameFactors(s, read)) {
                throw FlowErrors.changedMeanwhile(read);
            }
            Instant now = access.now();
            if (outcome.pending() != null) {
                throw FlowException.approvalPending(PendingApprovals.prompt(outcome.pending()));
            }
            if (!outcome.complete()) {
                access.save(
                        s.withFactor(s.identity(), outcome.nextMethods(), outcome.completedMethods(), s.expiresAt()),
                        s);
                throw anotherFactor(outcome.nextMethods());
            }
            String newToken = tokens.newToken();
            SessionRecord next = s.renewed(SessionTokens.hash(newToken), outcome.identity(), lapses(outcome, now));
            access.save(next, s);
            events.step(
                    next,
                    next.phase(),
                    "re-authenticated with " + String.join(" and ", outcome.completedMethods())
                            + "; new token valid until " + next.expiresAt());
            return new SessionGrant(next.id(), newToken, next.expiresAt());
        });
    }

    /**
     * A step-up factor for a live session: checked like a further factor of its login, saved on the
     * session's identity, the token and the tunnel unchanged.
     */
    void stepUp(String sessionId, String token, AuthResponse response, InetAddress source, StepUps stepUps)
            throws FlowException {
        SessionRecord read = access.locked(
                sessionId, () -> access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "step up"));
        StepUps.Asked asked = stepUps.of(sessionId)
                .orElseThrow(() -> new FlowException(
                        FlowFailure.OUT_OF_ORDER, "No step-up is asked of this session; nothing to answer"));
        Login.Outcome outcome =
                SessionAccess.guarded(() -> login.attempt(read, response, source, Login.Mode.STEP_UP, asked.methods()));
        access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "step up");
            if (!sameFactors(s, read)) {
                throw FlowErrors.changedMeanwhile(read);
            }
            if (outcome.pending() != null) {
                throw FlowException.approvalPending(PendingApprovals.prompt(outcome.pending()));
            }
            if (!outcome.complete()) {
                stepUps.ask(sessionId, outcome.nextMethods(), asked.reason());
                throw anotherFactor(outcome.nextMethods());
            }
            java.util.Map<String, String> attributes =
                    new java.util.TreeMap<>(outcome.identity().attributes());
            attributes.put(STEP_UP_ATTRIBUTE, response.method() + " " + access.now());
            Identity stepped = new Identity(
                    outcome.identity().user(),
                    outcome.identity().groups(),
                    attributes,
                    outcome.identity().validUntil());
            Instant lapses =
                    stepped.validUntil() != null && stepped.validUntil().isBefore(s.expiresAt())
                            ? stepped.validUntil()
                            : s.expiresAt();
            SessionRecord next = s.renewed(s.tokenHash(), stepped, lapses);
            access.save(next, s);
            stepUps.done(sessionId);
            events.step(
                    next,
                    next.phase(),
                    "stepped up with " + response.method() + " (" + asked.reason() + "); the tunnel stayed up");
            return next;
        });
    }

    /** The identity attribute that records the last step-up: its method and when. */
    static final String STEP_UP_ATTRIBUTE = "wirehaven.auth.stepUp";

    /**
     * A login that waits for an approval: its challenge lives as long as the approval may take (at
     * most {@link #LONGEST_APPROVAL}), and the client is told what to show.
     */
    private void waitForApproval(SessionRecord s, String method, Login.Outcome outcome, Instant now)
            throws FlowException {
        Instant until = outcome.pending().expiresAt();
        Instant cap = now.plus(LONGEST_APPROVAL);
        until = until.isAfter(cap) ? cap : until;
        if (until.isAfter(s.expiresAt())) {
            access.save(s.withFactor(s.identity(), s.challengeMethods(), s.completedMethods(), until), s);
        }
        events.step(
                s,
                SessionPhase.CHALLENGED,
                "method " + method + " waits for the person's approval until "
                        + outcome.pending().expiresAt());
        throw FlowException.approvalPending(PendingApprovals.prompt(outcome.pending()));
    }

    /** When the new token lapses: the configured lifetime, or earlier when the identity's proof lapses first. */
    private Instant lapses(Login.Outcome outcome, Instant now) {
        Instant configured = now.plus(settings.get().sessionLifetime());
        Instant proof = outcome.identity().validUntil();
        return proof != null && proof.isBefore(configured) ? proof : configured;
    }

    private FlowException anotherFactor(List<String> methods) {
        return FlowException.anotherFactor(methods, login.chain().prompts(methods));
    }

    /**
     * True when {@code current} is still in the step of a login that {@code read} was: the same user
     * so far and the same factors passed and asked for, so that an outcome checked against
     * {@code read} may be saved on {@code current}.
     */
    private static boolean sameFactors(SessionRecord current, SessionRecord read) {
        return Objects.equals(current.user(), read.user())
                && current.completedMethods().equals(read.completedMethods())
                && current.challengeMethods().equals(read.challengeMethods())
                && Objects.equals(current.tokenHash(), read.tokenHash());
    }

    private static String groups(SessionRecord s) {
        return s.identity().groups().isEmpty()
                ? ""
                : " (groups " + String.join(", ", s.identity().groups()) + ")";
    }

    private record Authenticated(SessionRecord session, SessionGrant grant) {}

    /**
     * Refuses a login that would give {@code user} more open sessions than {@code user.sessions.max}.
     * Sessions of the same key do not count: the new session replaces them. Without the limit one user
     * could hold the whole address pool.
     */
    private void refuseOverLimit(SessionRecord s, String user) throws FlowException {
        int max = settings.get().access().sessionsPerUser();
        long held = sessions.openOf(user).stream()
                .filter(o -> !o.id().equals(s.id()))
                .filter(o -> SessionAccess.AFTER_AUTH.contains(o.phase()))
                .filter(o -> !o.clientPublicKey().equals(s.clientPublicKey()))
                .count();
        if (held >= max) {
            events.security(
                    SecurityEvent.SESSION_LIMIT,
                    Severity.MEDIUM,
                    user,
                    null,
                    s.id(),
                    "user '" + user + "' already holds " + held + " sessions; the limit is " + max);
            throw new FlowException(
                    FlowFailure.FORBIDDEN,
                    "You already have " + held + " sessions open, the most the server allows; disconnect one of"
                            + " your devices (wirehaven-client disconnect) or ask the operator");
        }
    }
}
