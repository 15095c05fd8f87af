/**
 * The sessions SPI: what the server's other bundles (the control API, the interfaces) use of the
 * session core. {@link dev.wirehaven.sessions.spi.ControlPlane} is the connection flow as the control API
 * drives it, {@link dev.wirehaven.sessions.spi.FlowException} and
 * {@link dev.wirehaven.sessions.spi.FlowFailure} its refusals, and
 * {@link dev.wirehaven.sessions.spi.InterfaceProperties} the service properties by which the session
 * core finds the WireGuard interface that it serves.
 *
 * <p>Not for plugins: a plugin compiles against {@code api} only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package dev.wirehaven.sessions.spi;
