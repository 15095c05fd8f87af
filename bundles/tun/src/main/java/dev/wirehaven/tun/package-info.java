/**
 * The TUN device SPI: the platform seam of the data plane on the inner side, with the host's
 * interface configuration ({@code InterfaceConfigurator}, {@code IpCommand}) and the one runner of
 * host programs that those use ({@code HostCommand}).
 * 2.0: {@code MemoryTun} left the driver bundle for the test-support bundle wirehaven-tun-testing
 * ({@code dev.wirehaven.tun.testing}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package dev.wirehaven.tun;
