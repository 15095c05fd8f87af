package dev.wirehaven.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a client presented to prove who it is. The set of credentials is closed (sealed) because the
 * server's control API is what produces them: a plugin receives them, it never invents new kinds.
 * Implementations never print their secret in {@code toString()}.
 */
@ProviderType
public sealed interface Credential permits PasswordCredential, BearerToken, OneTimeCode, Approval {

    /** The kind of this credential, to choose a provider without {@code instanceof} chains. */
    CredentialKind kind();
}
