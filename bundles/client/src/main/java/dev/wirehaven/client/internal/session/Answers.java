package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;

/**
 * The answer to one method: the credential its kind asks for, from the {@link CredentialPrompter},
 * in the field of {@link AuthResponse} that the kind names. An approval carries no credential: the
 * person gives it elsewhere, and the answer only names the method and the user.
 */
final class Answers {

    private final URI server;
    private final CredentialPrompter prompter;
    private final String username;

    Answers(URI server, CredentialPrompter prompter, String username) {
        this.server = server;
        this.prompter = prompter;
        this.username = username;
    }

    AuthResponse answer(MethodPrompt prompt) throws IOException {
        String method = prompt.method();
        return switch (prompt.kind()) {
            case APPROVAL -> new AuthResponse(method, username, null, null, null);
            case PASSWORD -> new AuthResponse(method, username, secret(prompt, "password", false), null, null);
            case ONE_TIME_CODE ->
                new AuthResponse(method, username, null, secret(prompt, "one-time code (" + method + ")", true), null);
            case BEARER_TOKEN ->
                new AuthResponse(method, username, null, null, secret(prompt, "token for '" + method + "'", true));
            default ->
                throw new ClientException(
                        Reason.NO_CREDENTIALS, "this client does not know the credential kind " + prompt.kind());
        };
    }

    /**
     * The prompter's answer as the String the JSON body needs, which cannot be wiped; the array at
     * least is. Codes and tokens lose surrounding blanks (pasted with them), passwords never.
     */
    private String secret(MethodPrompt prompt, String what, boolean strip) throws IOException {
        char[] secret;
        try {
            secret = prompter.secret(server, username, prompt);
        } catch (ClientException e) {
            throw e;
        } catch (IOException e) {
            // the prompter's contract: an IOException ends the attempt for want of credentials
            throw new ClientException(
                    Reason.NO_CREDENTIALS, "no " + what + " for " + username + ": " + e.getMessage(), e);
        }
        if (secret == null) {
            throw noCredential(what);
        }
        try {
            String s = new String(secret);
            if (strip) {
                s = s.strip();
                if (s.isEmpty()) {
                    throw noCredential(what);
                }
            }
            return s;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private ClientException noCredential(String what) {
        return new ClientException(Reason.NO_CREDENTIALS, "no " + what + " for " + username + " was given");
    }
}
