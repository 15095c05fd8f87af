package dev.wirehaven.api.auth;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Verifies one kind of credential: a plugin registers an implementation as an OSGi service, and
 * the server's auth chain asks it when a client presents that kind of credential for its method.
 *
 * <p><b>Service properties.</b> Register the service with {@link #METHOD_PROPERTY} set to the value
 * of {@link #method()}, so that the server's configuration can select providers with a target
 * filter such as {@code (wirehaven.auth.method=ldap)} before any is called. When several providers
 * serve the same method, the chain asks them in descending {@code service.ranking} (the OSGi
 * convention: higher first, default 0) and moves to the next one only when a provider answers
 * {@link AuthStatus#UNAVAILABLE}; so a fallback directory is a provider with a lower ranking.
 *
 * <p><b>Threads and time.</b> {@link #authenticate(AuthRequest)} is called concurrently from
 * request threads, never from the packet path. It may block on a directory or identity provider,
 * but should bound that wait (a few seconds) and answer {@link AuthResult#unavailable(String)} when
 * it runs out, so that a client is not left hanging. Rate limiting of failed attempts is the
 * server's job, not the provider's.
 *
 * <p><b>Secrets.</b> A provider never logs the credential and never returns it in a reason.
 */
@ConsumerType
public interface AuthProvider {

    /** Service property naming the provider's method; its value equals {@link #method()}. */
    String METHOD_PROPERTY = "wirehaven.auth.method";

    /**
     * The method name that the server shows in an auth challenge and that configuration refers to,
     * such as {@code password}, {@code ldap}, {@code oidc} or {@code totp}: lower case letters,
     * digits and hyphens, stable across releases of the provider.
     */
    String method();

    /** The kinds of credential this provider verifies; the server passes it no other kind. */
    Set<CredentialKind> credentialKinds();

    /**
     * Verifies {@code request}'s credential.
     *
     * @return the answer; never {@code null}. An exception is treated like
     *         {@link AuthResult#unavailable(String)} and logged by the server without the credential.
     */
    AuthResult authenticate(AuthRequest request);

    /**
     * What the client asks the person for {@code kind} of this provider's credentials, such as
     * "Corporate directory password" or "Code from your authenticator app". Shown as given, so
     * plain text of one line; it never names a secret's value. By default the kind's
     * {@linkplain CredentialKind#standardPrompt() standard prompt}.
     *
     * @since 1.1
     */
    default String prompt(CredentialKind kind) {
        return kind.standardPrompt();
    }

    /**
     * Whether {@code identity} has set this method up, for methods that users enroll in (an
     * authenticator app). An auth realm whose second factor is required "once enrolled" asks it; a
     * provider that needs no enrollment answers true, as the default does. Called from request
     * threads; should answer from its own store without a network round trip where it can.
     *
     * @since 1.1
     */
    default boolean enrolled(Identity identity) {
        return true;
    }
}
