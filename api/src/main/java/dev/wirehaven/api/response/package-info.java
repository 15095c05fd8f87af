/**
 * Security responses: what the server does about a threat that a detector found (block a source
 * address, revoke a session, ask for step-up, disable a user, or only alert). The server provides
 * {@link dev.wirehaven.api.response.SecurityResponses}; detectors and operator tools ask it to act,
 * and it enforces, expires, undoes and audits every response under one allow-list.
 *
 * @since 1.0
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.api.response;
