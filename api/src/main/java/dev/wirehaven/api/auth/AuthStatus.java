package dev.wirehaven.api.auth;

/** The answers a provider can give; see {@link AuthResult} for what each carries. */
public enum AuthStatus {
    /** The credential is valid: the result carries the identity. */
    SUCCESS,
    /** The credential is not valid: the result carries a reason that is safe to show the client. */
    FAILURE,
    /**
     * The credential is valid but not enough: the result carries the identity established so far
     * and the methods of which one must follow (for example a password that needs a one-time code).
     */
    NEEDS_ANOTHER_FACTOR,
    /**
     * The provider could not decide (its directory or identity provider is unreachable): the chain
     * may ask a fallback provider. The reason is for the operator's log, never for the client.
     */
    UNAVAILABLE,
    /**
     * The login waits for an approval given elsewhere ({@link CredentialKind#APPROVAL}): the result
     * carries the {@link PendingApproval} to show the person; the client asks again after its
     * interval, and the provider answers SUCCESS, FAILURE or PENDING again.
     *
     * @since 1.1
     */
    PENDING
}
