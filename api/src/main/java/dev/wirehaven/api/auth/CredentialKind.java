package dev.wirehaven.api.auth;

/**
 * The kinds of credential that a client can present. A provider names the kinds it verifies
 * ({@link AuthProvider#credentialKinds()}), so that the server asks it only for those.
 */
public enum CredentialKind {
    /** A user name with a password: {@link PasswordCredential}. */
    PASSWORD,
    /** An opaque or signed token such as an OIDC access or ID token: {@link BearerToken}. */
    BEARER_TOKEN,
    /** A short code from an authenticator app, a message or a hardware token: {@link OneTimeCode}. */
    ONE_TIME_CODE,
    /**
     * Approval given elsewhere: the person confirms the login in a browser (an OAuth 2.0 device
     * authorization, RFC 8628) or on a phone, and the client waits: {@link Approval}. The client
     * presents no secret; the provider answers {@link AuthResult#pending(PendingApproval)} with what the
     * person must see until the approval arrives.
     *
     * @since 1.1
     */
    APPROVAL;

    /**
     * The text a client shows when a provider gives none of its own ({@link AuthProvider#prompt}):
     * neutral wording that names the kind of credential, never a provider.
     *
     * @since 1.1
     */
    public String standardPrompt() {
        return switch (this) {
            case PASSWORD -> "Password";
            case BEARER_TOKEN -> "Access token";
            case ONE_TIME_CODE -> "One-time code";
            case APPROVAL -> "Approve the login in your browser";
        };
    }
}
