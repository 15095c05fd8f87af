/**
 * The TUN device SPI: the platform seam of the data plane on the inner side, with the host's
 * interface configuration ({@code InterfaceConfigurator}, {@code IpCommand}) and the one runner of
 * host programs that those use ({@code HostCommand}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.wirehaven.tun;
