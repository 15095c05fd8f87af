/**
 * Test support for the UDP bind SPI: {@link dev.wirehaven.wireguard.testing.MemoryNetwork}, an
 * in-process datagram network, and its {@link dev.wirehaven.wireguard.testing.MemoryBind}s. Not
 * shipped in any distribution; tests and Pax Exam containers add this bundle themselves.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.wireguard.testing;
