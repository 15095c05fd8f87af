/**
 * The TUN device SPI: the platform seam of the data plane on the inner side, with the host's
 * interface configuration ({@code InterfaceConfigurator}, {@code IpCommand}) and the one runner of
 * host programs that those use ({@code HostCommand}).
 * 2.0: {@code MemoryTun} left the driver bundle for the test-support bundle wirehaven-tun-testing
 * ({@code dev.wirehaven.tun.testing}).
 * 2.2: {@code TunDevice.queueWrite}, {@code flushWrites} and {@code ioPath} (default methods), and
 * {@code LinuxTun.open(name, mtu, queues, offloads)}: the Linux TUN moves TCP bursts with virtio
 * headers (TSO on read, GRO on write) unless told not to.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package dev.wirehaven.tun;
