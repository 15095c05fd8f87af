package dev.wirehaven.client;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.MethodPrompt;
import java.io.IOException;
import java.net.URI;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies credentials when the server asks for them: at the first authentication, for a second
 * factor, at each re-authentication before the session expires (so a prompter that asks a person
 * will ask again then; one that holds a secret answers by itself), and for a step-up that a policy
 * asks of a live session.
 *
 * <p>A server of protocol 1.1 or later says for each method what to ask ({@link MethodPrompt}: the
 * kind of credential and a text to show); the client then asks by kind through
 * {@link #secret(URI, String, MethodPrompt)} and {@link #showApproval}, never by the method's name.
 * An older server sends no prompts, and the client asks by name as before: {@code password} through
 * {@link #password}, {@code totp}, {@code otp} and {@code hotp} through {@link #oneTimeCode}, any other
 * method through {@link #token}. A prompter written for that keeps working unchanged: the new methods
 * fall back to those.
 *
 * <p>Methods may block while a person types. An {@link IOException} (or a {@code null} answer)
 * ends the attempt with {@link ClientException.Reason#NO_CREDENTIALS}. Text in a prompt comes from
 * the server: a prompter that shows it on a terminal removes control characters first.
 */
@ConsumerType
public interface CredentialPrompter {

    /**
     * The password of {@code username} at {@code server}. The caller clears the array after use.
     */
    char[] password(URI server, String username) throws IOException;

    /**
     * A one-time code for {@code method} (such as {@code totp}), asked when the server wants a
     * second factor.
     */
    String oneTimeCode(URI server, String username, String method) throws IOException;

    /**
     * A bearer token for a method that takes one (such as {@code oidc} or {@code token}). By default
     * there is none.
     */
    default String token(URI server, String username, String method) throws IOException {
        throw new ClientException(
                ClientException.Reason.NO_CREDENTIALS,
                "the server asks for the auth method '" + method
                        + "', which this client cannot answer; ask the operator to allow 'password' for " + username);
    }

    /**
     * Whether this prompter answers credentials of {@code kind}, so that the client chooses among the
     * server's methods one it can answer. By default {@code PASSWORD} and {@code ONE_TIME_CODE} (what
     * every prompter answers through {@link #password} and {@link #oneTimeCode}); a prompter that
     * answers tokens ({@link #token}) or shows approvals ({@link #showApproval}) says so here. A method
     * chosen with {@link ConnectOptions#withAuthMethod} is answered whatever this says.
     *
     * @since 2.1
     */
    default boolean answers(CredentialKind kind) {
        return kind == CredentialKind.PASSWORD || kind == CredentialKind.ONE_TIME_CODE;
    }

    /**
     * The answer to a prompt of kind {@code PASSWORD}, {@code ONE_TIME_CODE} or {@code BEARER_TOKEN},
     * with the server's text for it ({@link MethodPrompt#prompt()}, such as "LDAP password" or "Code
     * from your authenticator app"). The caller clears the array after use. By default the answer of
     * {@link #password}, {@link #oneTimeCode} or {@link #token}, by the prompt's kind.
     *
     * @since 2.1
     */
    default char[] secret(URI server, String username, MethodPrompt prompt) throws IOException {
        return switch (prompt.kind()) {
            case PASSWORD -> password(server, username);
            case ONE_TIME_CODE -> chars(oneTimeCode(server, username, prompt.method()));
            case BEARER_TOKEN -> chars(token(server, username, prompt.method()));
            default ->
                throw new IllegalArgumentException(
                        "a " + prompt.kind() + " prompt (" + prompt.method() + ") is not answered with a secret");
        };
    }

    /**
     * Shows the person what to do to approve the login of {@code username} elsewhere (RFC 8628: open
     * {@link ApprovalPrompt#verificationUri()} and enter {@link ApprovalPrompt#userCode()}, or open
     * {@link ApprovalPrompt#verificationUriComplete()} where given). Called once per approval, and again
     * when the server hands out another one; the client meanwhile asks the server again every
     * {@link ApprovalPrompt#intervalSeconds()} until the login is approved or
     * {@link ApprovalPrompt#expiresAt()} passes. Return at once: the client does the waiting.
     *
     * <p>By default there is nobody to show it to, and the login fails with
     * {@link ClientException.Reason#NO_CREDENTIALS}.
     *
     * @param method the approval method, such as {@code oidc}
     * @since 2.1
     */
    default void showApproval(URI server, String username, String method, ApprovalPrompt approval) throws IOException {
        throw new ClientException(
                ClientException.Reason.NO_CREDENTIALS,
                "the server asks " + username + " to approve the login elsewhere (" + method
                        + "), which this application cannot show; choose another method with"
                        + " ConnectOptions.withAuthMethod, or ask the operator");
    }

    private static char[] chars(String answer) {
        return answer == null ? null : answer.toCharArray();
    }
}
