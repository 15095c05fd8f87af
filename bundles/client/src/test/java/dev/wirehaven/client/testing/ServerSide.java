package dev.wirehaven.client.testing;

import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The server's side of the tunnel in tests: a real WireGuard device on a {@link MemoryNetwork},
 * with a {@link MemoryTun} standing in for the server host's IP stack.
 *
 * <pre>
 *   client MemoryTun -- client device [client host:port] -- MemoryNetwork -- [server host:51820] server device -- server MemoryTun
 * </pre>
 */
public final class ServerSide implements PeerSide, AutoCloseable {

    public static final int PORT = 51820;
    public static final DeviceOptions OPTIONS = DeviceOptions.defaults().withCryptoWorkers(1);

    public final MemoryNetwork network;
    public final InetAddress host;
    public final Key privateKey = Keys.generatePrivate();
    public final Key publicKey = Keys.publicFrom(privateKey);
    public final MemoryTun tun = new MemoryTun("srv", 1420);
    public final WireGuardDevice device;

    public ServerSide() throws IOException, ConfigException {
        this(new MemoryNetwork());
    }

    /** Another server (a gateway node of a cluster) on {@code network}, at an address of its own. */
    public ServerSide(MemoryNetwork network) throws IOException, ConfigException {
        this.network = network;
        this.host = network.newAddressV4();
        device = WireGuard.createDevice("srv", tun, network.factoryAt(host), OPTIONS);
        device.configure(c -> {
            c.privateKey(privateKey);
            c.listenPort(PORT);
        });
    }

    @Override
    public Key publicKey() {
        return publicKey;
    }

    @Override
    public String endpoint() {
        return IpAddresses.format(host) + ":" + PORT;
    }

    @Override
    public void addPeer(Key client, Key psk, String address) throws ConfigException {
        device.configure(c -> {
            var p = c.peer(client, false);
            p.presharedKey(psk);
            p.replaceAllowedIps();
            p.addAllowedIp(Cidr.parse(address));
        });
    }

    @Override
    public void removePeer(Key client) throws ConfigException {
        device.configure(c -> c.removePeer(client));
    }

    public PeerSnapshot peer(Key client) {
        return device.snapshot().peers().stream()
                .filter(p -> p.publicKey().equals(client))
                .findFirst()
                .orElse(null);
    }

    @Override
    public boolean handshakeDone(Key client) {
        PeerSnapshot p = peer(client);
        return p != null && p.lastHandshakeEpochNanos() != 0;
    }

    @Override
    public void close() {
        device.close();
    }
}
