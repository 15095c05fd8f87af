/**
 * Authentication SPI: an {@link dev.wirehaven.api.auth.AuthProvider} verifies one kind of
 * {@link dev.wirehaven.api.auth.Credential} and answers with an
 * {@link dev.wirehaven.api.auth.AuthResult}: an {@link dev.wirehaven.api.auth.Identity}, a failure,
 * a request for another factor, or "unavailable" so that the server's auth chain can fall back.
 *
 * <p>The server's auth chain decides which providers are asked and in which role (primary, second
 * factor, fallback) from its configuration; a provider only answers for the credential it is given.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.wirehaven.api.auth;
