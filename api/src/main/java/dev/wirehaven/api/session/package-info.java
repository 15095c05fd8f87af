/**
 * Read-only views of client sessions: what plugins may learn about who is connected, and the
 * {@link dev.wirehaven.api.session.SessionDirectory} service that lists them, and
 * {@link dev.wirehaven.api.session.SessionAdmin}, what an operator may do to them (1.1).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package dev.wirehaven.api.session;
