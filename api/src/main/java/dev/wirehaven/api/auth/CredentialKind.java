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
    ONE_TIME_CODE
}
