/**
 * Test support for the client SDK: {@link dev.wirehaven.client.testing.MemoryPlatform}, a
 * {@code TunnelPlatform} that keeps the tunnel in the process (an in-memory TUN, no host routes or
 * DNS). Not shipped in any distribution.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.client.testing;
