package dev.wirehaven.client;

import java.io.IOException;
import java.net.URI;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies credentials when the server asks for them: at the first authentication, for a second
 * factor, and at each re-authentication before the session expires (so a prompter that asks a
 * person will ask again then; one that holds a secret answers by itself).
 *
 * <p>Methods may block while a person types. An {@link IOException} (or a {@code null} answer)
 * ends the attempt with {@link ClientException.Reason#NO_CREDENTIALS}.
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
}
