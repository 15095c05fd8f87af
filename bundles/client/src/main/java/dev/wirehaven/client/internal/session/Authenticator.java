package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Answers the server's auth challenge (steps 2-4), re-authenticates before the session expires, and
 * answers a step-up that a policy asks of the live session: the first method as {@link MethodChoice}
 * picks it, each further factor the server asks for with {@code another_factor_required}, each
 * credential from the {@link CredentialPrompter} ({@link Answers}), and the wait of a method that the
 * person approves elsewhere ({@link ApprovalWait}).
 */
public final class Authenticator {

    /** Factors after the first that one user may be asked for; more is a server loop, not security. */
    private static final int MAX_FACTORS = 4;

    /** One call that an {@link AuthResponse} answers: {@code /auth}, {@code /reauth} or {@code /step-up}. */
    @FunctionalInterface
    private interface Send<T> {
        T send(AuthResponse response) throws IOException;
    }

    private final ControlClient control;
    private final String username;
    private final MethodChoice choice;
    private final Answers answers;
    private final ApprovalWait approvals;

    /** The method of the first authentication, answered again at each re-authentication. */
    private volatile MethodPrompt firstMethod;

    /**
     * @param preferredMethod the method the application chose, or {@code null} for the default choice
     * @param clock the time an approval's expiry is compared with
     * @param pause the wait between two answers of an approval
     */
    public Authenticator(
            ControlClient control,
            CredentialPrompter prompter,
            String username,
            String preferredMethod,
            Clock clock,
            Pause pause) {
        this.control = control;
        this.username = username;
        this.choice = new MethodChoice(prompter, username, preferredMethod);
        this.answers = new Answers(control.server(), prompter, username);
        this.approvals = new ApprovalWait(control.server(), prompter, username, clock, pause);
    }

    public String username() {
        return username;
    }

    /** Steps 2-4: the first answer to the challenge, then any further factor. */
    public SessionGrant authenticate(AuthChallenge challenge) throws IOException {
        MethodPrompt first = choice.first(challenge.methods(), challenge.prompts());
        firstMethod = first;
        return answer(first, r -> control.authenticate(challenge.sessionId(), r));
    }

    /**
     * Re-authentication with the method of the first authentication (an approval method shows a new
     * approval), and any factor the server asks for.
     */
    public SessionGrant reauthenticate(Session session) throws IOException {
        MethodPrompt first = firstMethod;
        if (first == null) {
            first = MethodChoice.byName(MethodChoice.PASSWORD);
        }
        return answer(first, r -> control.reauthenticate(session.id(), session.token(), r));
    }

    /**
     * A step-up: one of the methods that a policy asks of the live session ({@link SessionStatus#stepUp()},
     * or a {@code step_up_required} answer's methods and prompts), and any factor the server asks for
     * after it. The token is read at each call, so that a re-authentication meanwhile does not make the
     * answer fail.
     */
    public SessionStatus stepUp(Session session, List<String> methods, List<MethodPrompt> prompts) throws IOException {
        MethodPrompt method = choice.next(methods, prompts);
        return answer(method, r -> control.stepUp(session.id(), session.token(), r));
    }

    private <T> T answer(MethodPrompt first, Send<T> send) throws IOException {
        MethodPrompt method = first;
        for (int factor = 0; ; factor++) {
            AuthResponse response = answers.answer(method);
            try {
                return approvals.until(method.method(), () -> send.send(response));
            } catch (ControlApiException e) {
                if (e.anotherFactorRequired() && !e.error().methods().isEmpty() && factor < MAX_FACTORS) {
                    method = choice.next(e.error().methods(), e.error().prompts());
                    continue;
                }
                throw refused(e);
            }
        }
    }

    private ClientException refused(ControlApiException e) {
        String message = e.error().message();
        return switch (e.status()) {
            case 401 ->
                "expired".equals(e.code())
                        ? new ClientException(Reason.REFUSED, "the server says the session has expired: " + message, e)
                        : new ClientException(
                                Reason.AUTHENTICATION_FAILED,
                                "the server refused the credentials of " + username + ": " + message,
                                e);
            case 429 ->
                new ClientException(
                        Reason.RATE_LIMITED,
                        "too many failed attempts: " + message
                                + e.retryAfter()
                                        .map(d -> " (try again in " + d.toSeconds() + " s)")
                                        .orElse(""),
                        e.retryAfter().orElse(null),
                        e);
            default ->
                new ClientException(
                        Reason.REFUSED,
                        "the server refused the authentication (" + e.status() + " " + e.code() + "): " + message,
                        e);
        };
    }
}
