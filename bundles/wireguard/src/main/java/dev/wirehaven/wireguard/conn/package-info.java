/**
 * The UDP bind SPI of a WireGuard device, and {@code UdpBind}, the real one.
 * 2.0: {@code MemoryNetwork} and {@code MemoryBind} left the protocol bundle for the test-support
 * bundle wirehaven-wireguard-testing ({@code dev.wirehaven.wireguard.testing}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.wirehaven.wireguard.conn;
