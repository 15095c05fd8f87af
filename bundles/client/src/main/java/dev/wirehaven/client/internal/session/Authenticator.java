package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Answers the server's auth challenge (steps 2-4) and re-authenticates before the session expires:
 * the password first when the server accepts it, then each further factor the server asks for
 * with {@code another_factor_required}, each credential from the {@link CredentialPrompter}.
 */
public final class Authenticator {

    /** The built-in method of local users (docs/control-api.md, ISSUE4-PLAN). */
    public static final String PASSWORD = "password";
    /** Factors after the first that one user may be asked for; more is a server loop, not security. */
    private static final int MAX_FACTORS = 4;

    private final ControlClient control;
    private final CredentialPrompter prompter;
    private final String username;
    /** The method the application chose, or null for the default choice. */
    private final String preferredMethod;

    private volatile String firstMethod = PASSWORD;

    public Authenticator(ControlClient control, CredentialPrompter prompter, String username) {
        this(control, prompter, username, null);
    }

    public Authenticator(ControlClient control, CredentialPrompter prompter, String username, String preferredMethod) {
        this.control = control;
        this.prompter = prompter;
        this.username = username;
        this.preferredMethod = preferredMethod;
    }

    public String username() {
        return username;
    }

    /** Steps 2-4: the first answer to the challenge, then any further factor. */
    public SessionGrant authenticate(AuthChallenge challenge) throws IOException {
        List<String> methods = challenge.methods();
        if (methods.isEmpty()) {
            throw new ClientException(
                    Reason.REFUSED,
                    "the server offers no auth method for " + username + "; ask its operator to allow 'password'");
        }
        String method = chooseMethod(methods);
        firstMethod = method;
        return answer(challenge.sessionId(), null, method);
    }

    /** The application's method when the server offers it, else password when offered, else the server's first. */
    String chooseMethod(List<String> offered) throws ClientException {
        if (preferredMethod != null) {
            if (!offered.contains(preferredMethod)) {
                throw new ClientException(
                        Reason.REFUSED,
                        "the server does not offer the auth method '" + preferredMethod + "' for " + username
                                + "; it offers " + String.join(", ", offered));
            }
            return preferredMethod;
        }
        return offered.contains(PASSWORD) ? PASSWORD : offered.get(0);
    }

    /** Re-authentication with the method of the first authentication, and any factor the server asks for. */
    public SessionGrant reauthenticate(Session session) throws IOException {
        return answer(session.id(), session.token(), firstMethod);
    }

    private SessionGrant answer(String sessionId, String token, String firstAnswer) throws IOException {
        String method = firstAnswer;
        for (int factor = 0; ; factor++) {
            AuthResponse response = response(method);
            try {
                return token == null
                        ? control.authenticate(sessionId, response)
                        : control.reauthenticate(sessionId, token, response);
            } catch (ControlApiException e) {
                if (e.status() == 401
                        && "another_factor_required".equals(e.code())
                        && !e.error().methods().isEmpty()
                        && factor < MAX_FACTORS) {
                    method = e.error().methods().get(0);
                    continue;
                }
                throw refused(e);
            }
        }
    }

    private AuthResponse response(String method) throws IOException {
        URI server = control.server();
        switch (method) {
            case PASSWORD -> {
                char[] password = prompter.password(server, username);
                if (password == null) {
                    throw noCredential("password");
                }
                try {
                    // the JSON body needs a String, which cannot be wiped; the array at least can be
                    return new AuthResponse(method, username, new String(password), null, null);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            case "totp", "otp", "hotp" -> {
                String code = prompter.oneTimeCode(server, username, method);
                if (code == null || code.isBlank()) {
                    throw noCredential("one-time code (" + method + ")");
                }
                return new AuthResponse(method, username, null, code.strip(), null);
            }
            default -> {
                String token = prompter.token(server, username, method);
                if (token == null || token.isBlank()) {
                    throw noCredential("token for '" + method + "'");
                }
                return new AuthResponse(method, username, null, null, token.strip());
            }
        }
    }

    private ClientException noCredential(String what) {
        return new ClientException(Reason.NO_CREDENTIALS, "no " + what + " for " + username + " was given");
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
