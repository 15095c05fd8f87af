package dev.wirehaven.api.auth;

import java.util.Objects;

/**
 * The client's part of a login approved elsewhere ({@link CredentialKind#APPROVAL}): it carries no
 * secret of the person's, only which approval the client waits for.
 *
 * <p>The first request of a login has no reference: the provider starts an approval (for example a
 * device authorization at the identity provider) and answers {@link AuthResult#pending}. The server
 * keeps that answer's {@link PendingApproval#reference()} and passes it back in every later request
 * of the same login, so that the provider can look the approval up; the client never sees it.
 *
 * @param reference the provider's reference from its pending answer, or empty to start an approval
 * @since 1.1
 */
public record Approval(String reference) implements Credential {

    /** Rejects a missing reference; an empty one starts an approval. */
    public Approval {
        Objects.requireNonNull(reference, "reference");
    }

    /** A request that starts a new approval. */
    public static Approval start() {
        return new Approval("");
    }

    /** True when no approval was started yet for this login. */
    public boolean isStart() {
        return reference.isEmpty();
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.APPROVAL;
    }

    /** Deliberately opaque: a device code lets whoever holds it collect the person's tokens. */
    @Override
    public String toString() {
        return isStart() ? "Approval[start]" : "Approval[redacted]";
    }
}
