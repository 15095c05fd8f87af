/**
 * The UDP bind SPI of a WireGuard device, and {@code UdpBind}, the real one.
 * 2.0: {@code MemoryNetwork} and {@code MemoryBind} left the protocol bundle for the test-support
 * bundle wirehaven-wireguard-testing ({@code dev.wirehaven.wireguard.testing}).
 * 2.1: batches ({@code Bind.receive(ByteBuffer[], ...)}, {@code send(ByteBuffer[], ...)}), packet marks on
 * any bind, {@code ioPath()}; {@code LinuxUdpBind} (recvmmsg/sendmmsg, UDP GSO and GRO) and
 * {@code BindFactory.system()}, which picks it where it works.
 * 2.2: the handshake lane ({@code Bind.handshakeLane()}) and the kernel's drops ({@code receiveQueueDrops()}).
 * 2.3: {@code Bind.steerByReceiverTag(int)}: the lane takes transport messages for indices the device cannot have.
 * 2.4: {@code Bind.malformedDrops()} and {@code unknownIndexDrops()}: what the kernel dropped for the device.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.4.0")
package dev.wirehaven.wireguard.conn;
