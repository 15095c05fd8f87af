package dev.wirehaven.api.auth;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One question to an {@link AuthProvider}: a credential and the context it was presented in.
 *
 * <p>The context lets a provider decide more than "is this secret right": a one-time-code provider
 * finds whose code to check in {@link #establishedIdentity()}, and a provider may refuse an address
 * it distrusts. The request holds the credential itself, not a copy: the server clears a
 * {@link PasswordCredential} once the chain has answered.
 *
 * @param credential what the client presented
 * @param clientAddress the address the client's request came from, or {@code null} when the server
 *        does not know it (for example a request made inside the process)
 * @param establishedIdentity the identity that earlier factors of this login established, or
 *        {@code null} for the first factor
 * @param completedMethods the {@linkplain AuthProvider#method() methods} that this login has passed
 *        so far, in order; empty for the first factor
 */
public record AuthRequest(
        Credential credential, InetAddress clientAddress, Identity establishedIdentity, List<String> completedMethods) {

    /** Validates and copies. */
    public AuthRequest {
        Objects.requireNonNull(credential, "credential");
        completedMethods = List.copyOf(Objects.requireNonNull(completedMethods, "completedMethods"));
        if (establishedIdentity == null && !completedMethods.isEmpty()) {
            throw new IllegalArgumentException("methods were completed but no identity was established");
        }
    }

    /** A first-factor request: nothing has been established yet. */
    public static AuthRequest firstFactor(Credential credential, InetAddress clientAddress) {
        return new AuthRequest(credential, clientAddress, null, List.of());
    }

    /** True when this request continues a login that an earlier factor started. */
    public boolean isFurtherFactor() {
        return establishedIdentity != null;
    }
}
