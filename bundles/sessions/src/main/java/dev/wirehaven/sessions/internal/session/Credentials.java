package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.Credential;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.OneTimeCode;
import dev.wirehaven.api.auth.PasswordCredential;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.Set;

/**
 * Turns an {@link AuthResponse} into the one {@link Credential} it carries, refusing an answer that
 * carries none, several, or a kind that the method's providers do not verify. The messages name the
 * fields, never their values.
 */
final class Credentials {

    private static final int MAX_PASSWORD = 1024;
    private static final int MAX_CODE = 64;
    private static final int MAX_TOKEN = 16 * 1024;

    private Credentials() {}

    /**
     * @param userFromEarlierFactor the user a further factor continues, or null for a first factor:
     *        then a password needs the user name of the answer
     */
    static Credential from(AuthResponse r, Set<CredentialKind> accepted, String userFromEarlierFactor)
            throws FlowException {
        int set = (r.password() != null ? 1 : 0) + (r.oneTimeCode() != null ? 1 : 0) + (r.token() != null ? 1 : 0);
        if (set == 0) {
            throw invalid("the answer to method " + r.method() + " has no credential: set " + fieldsOf(accepted));
        }
        if (set > 1) {
            throw invalid("the answer to method " + r.method() + " sets more than one credential: set only "
                    + fieldsOf(accepted));
        }
        CredentialKind kind = r.password() != null
                ? CredentialKind.PASSWORD
                : r.oneTimeCode() != null ? CredentialKind.ONE_TIME_CODE : CredentialKind.BEARER_TOKEN;
        if (!accepted.contains(kind)) {
            throw invalid("method " + r.method() + " does not take " + fieldOf(kind) + "; set " + fieldsOf(accepted));
        }
        return switch (kind) {
            case PASSWORD -> password(r, userFromEarlierFactor);
            case ONE_TIME_CODE -> {
                if (r.oneTimeCode().isBlank() || r.oneTimeCode().length() > MAX_CODE) {
                    throw invalid("oneTimeCode is empty or longer than " + MAX_CODE + " characters");
                }
                yield new OneTimeCode(r.oneTimeCode());
            }
            case BEARER_TOKEN -> {
                if (r.token().isBlank() || r.token().length() > MAX_TOKEN) {
                    throw invalid("token is empty or longer than " + MAX_TOKEN + " characters");
                }
                yield new BearerToken(r.token());
            }
            // derived from the fields above, which never give it; an approval is answered with none
            case APPROVAL -> throw invalid("method " + r.method() + " waits for an approval: set no credential");
        };
    }

    private static Credential password(AuthResponse r, String userFromEarlierFactor) throws FlowException {
        String user = r.username().isEmpty() ? userFromEarlierFactor : r.username();
        if (user == null || user.isBlank()) {
            throw invalid("username is missing");
        }
        if (r.password().isEmpty() || r.password().length() > MAX_PASSWORD) {
            throw invalid("password is empty or longer than " + MAX_PASSWORD + " characters");
        }
        char[] chars = r.password().toCharArray();
        try {
            return new PasswordCredential(user, chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static String fieldsOf(Set<CredentialKind> kinds) {
        return kinds.isEmpty()
                ? "a credential of a method the server offers"
                : String.join(
                        " or ",
                        kinds.stream().map(Credentials::fieldOf).sorted().toList());
    }

    private static String fieldOf(CredentialKind kind) {
        return switch (kind) {
            case PASSWORD -> "username and password";
            case ONE_TIME_CODE -> "oneTimeCode";
            case BEARER_TOKEN -> "token";
            case APPROVAL -> "no credential (to wait for the approval)";
        };
    }

    private static FlowException invalid(String message) {
        return new FlowException(FlowFailure.INVALID_REQUEST, message);
    }
}
