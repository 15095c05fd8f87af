package dev.wirehaven.api.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user name and a password. The password is held as a {@code char[]} so that it can be wiped:
 * the constructor copies the caller's array, {@link #password()} hands out copies, and
 * {@link #clear()} overwrites the held copy with zeros. The server clears the credential once the
 * auth chain has answered; a provider must not keep it (or its copies) after
 * {@link AuthProvider#authenticate(AuthRequest)} returns and should wipe the copies it takes.
 *
 * <p>The JVM may still hold the password in buffers it copied earlier (for example the decoded
 * request body); wiping narrows the window, it cannot close it.
 */
public final class PasswordCredential implements Credential, AutoCloseable {

    private final String username;
    private final char[] password;
    private volatile boolean cleared;

    /**
     * @param username the user name as entered, not blank
     * @param password the password; copied, so the caller may (and should) wipe its own array
     */
    public PasswordCredential(String username, char[] password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("the user name is blank");
        }
        this.username = username;
        this.password = password.clone();
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.PASSWORD;
    }

    /** The user name as the client sent it. */
    public String username() {
        return username;
    }

    /**
     * A copy of the password; wipe it ({@code Arrays.fill(copy, '\0')}) when done.
     *
     * @throws IllegalStateException after {@link #clear()}
     */
    public char[] password() {
        if (cleared) {
            throw new IllegalStateException("the password has been cleared");
        }
        return password.clone();
    }

    /** Overwrites the held password with zeros; later calls to {@link #password()} fail. Idempotent. */
    public void clear() {
        cleared = true;
        Arrays.fill(password, '\0');
    }

    /** True once {@link #clear()} has run. */
    public boolean isCleared() {
        return cleared;
    }

    /** Same as {@link #clear()}, so that try-with-resources wipes the password. */
    @Override
    public void close() {
        clear();
    }

    /** Names the user, never the password. */
    @Override
    public String toString() {
        return "PasswordCredential[username=" + username + ", password=redacted]";
    }
}
