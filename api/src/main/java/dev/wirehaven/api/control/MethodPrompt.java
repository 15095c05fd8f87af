package dev.wirehaven.api.control;

import dev.wirehaven.api.auth.CredentialKind;
import java.util.Objects;

/**
 * What a client asks the person for one auth method, so that it needs to know no method by name:
 * a password field, a code field, a token, or a wait for an approval given in a browser.
 *
 * @param method the method, as in {@link AuthChallenge#methods()}
 * @param kind the kind of credential the answer carries: {@code PASSWORD} sets {@link AuthResponse#username()}
 *        and {@link AuthResponse#password()}, {@code ONE_TIME_CODE} sets {@link AuthResponse#oneTimeCode()},
 *        {@code BEARER_TOKEN} sets {@link AuthResponse#token()}, {@code APPROVAL} sets none of them and is
 *        answered {@code approval_pending} with an {@link ApprovalPrompt} until the person approves
 * @param prompt the text to show, one line, no control characters
 * @since 1.1
 */
public record MethodPrompt(String method, CredentialKind kind, String prompt) {

    /** Validates. */
    public MethodPrompt {
        method = Messages.name("method", method, true);
        Objects.requireNonNull(kind, "kind");
        prompt = Messages.name("prompt", prompt, false);
        if (prompt.isEmpty()) {
            prompt = kind.standardPrompt();
        }
    }
}
