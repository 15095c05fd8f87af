package dev.wirehaven.benchmarks.sessions;

import dev.wirehaven.client.CredentialPrompter;
import java.io.IOException;
import java.net.URI;

/**
 * Answers every client's challenge with the one secret of the run: a password for the built-in
 * {@code password} method, or a bearer token for a token method such as the example plugin's
 * {@code static-token}. Each client names its method ({@link #method()}), so a token run works
 * against a server that offers the password too, as a real one does.
 */
public final class LoadCredentials implements CredentialPrompter {

    /** The method of the example plugin {@code wirehaven-example-auth-static-token}. */
    static final String TOKEN_METHOD = "static-token";

    private final String password;
    private final String token;

    private LoadCredentials(String password, String token) {
        this.password = password;
        this.token = token;
    }

    public static LoadCredentials password(String password) {
        return new LoadCredentials(password, null);
    }

    public static LoadCredentials token(String token) {
        return new LoadCredentials(null, token);
    }

    /** The auth method the clients answer with. */
    public String method() {
        return password != null ? "password" : TOKEN_METHOD;
    }

    @Override
    public char[] password(URI server, String username) throws IOException {
        if (password == null) {
            throw new IOException("this run has a token, not a password, but the server asks for a password: give the"
                    + " load generator --password-file, or run it against a server without the password method");
        }
        return password.toCharArray();
    }

    @Override
    public String oneTimeCode(URI server, String username, String method) throws IOException {
        throw new IOException("the server asks for a one-time code (" + method + "), which a load run cannot give");
    }

    @Override
    public String token(URI server, String username, String method) throws IOException {
        if (token == null) {
            throw new IOException("the server asks for a token (" + method + "); give the load generator --token-file");
        }
        return token;
    }
}
