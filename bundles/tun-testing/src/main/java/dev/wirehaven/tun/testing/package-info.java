/**
 * Test support for the TUN device SPI: {@link dev.wirehaven.tun.testing.MemoryTun}, a TUN device in
 * memory whose other side a test (or a load benchmark) reads and writes. Not shipped in any
 * distribution; tests and Pax Exam containers add this bundle themselves.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.tun.testing;
