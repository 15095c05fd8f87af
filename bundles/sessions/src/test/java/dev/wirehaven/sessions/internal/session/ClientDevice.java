package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A real WireGuard device acting as the client, configured from the server's {@link ServerConfig}
 * the way a client applies it. Turning its persistent keepalive on sends a keepalive at once, which
 * starts the handshake.
 */
final class ClientDevice implements AutoCloseable {

    final WireGuardDevice device;
    private final ServerConfig server;
    private InetSocketAddress endpoint;
    private Key serverKey;

    ClientDevice(MemoryNetwork net, Key privateKey, ServerConfig server, InetAddress serverHost, int serverPort)
            throws Exception {
        this.server = server;
        this.endpoint = new InetSocketAddress(serverHost, serverPort);
        this.serverKey = Key.fromBase64(server.serverPublicKey());
        device = WireGuard.createDevice(
                "wh0",
                new MemoryTun("wh0", server.mtu()),
                net.factoryAt(net.newAddressV4()),
                DeviceOptions.defaults().withCryptoWorkers(1));
        device.configure(c -> c.privateKey(privateKey));
        addServer();
    }

    /**
     * Sets the server up again from the same server config, as a client does when it reconnects
     * without logging in again; its old keys are gone, so it hands shakes at once.
     */
    void reconnect() throws Exception {
        device.configure(c -> c.removePeer(serverKey));
        addServer();
    }

    /**
     * Points the client at another gateway node, as a client does when its gateway stops answering:
     * the node's key and endpoint replace the old ones; its own key, preshared key and routes stay.
     */
    void moveTo(Key gatewayKey, InetAddress host, int port) throws Exception {
        device.configure(c -> c.removePeer(serverKey));
        serverKey = gatewayKey;
        endpoint = new InetSocketAddress(host, port);
        addServer();
    }

    private void addServer() throws Exception {
        device.configure(c -> {
            PeerConfigurator p = c.peer(serverKey, false);
            p.presharedKey(Key.fromBase64(server.presharedKey()));
            p.endpoint(endpoint);
            for (String route : server.routes()) {
                p.addAllowedIp(Cidr.parse(route));
            }
            p.persistentKeepalive(server.persistentKeepalive());
        });
    }

    /**
     * Waits until the server's device reports a handshake with this client. Fails after a generous
     * deadline: that would be a handshake that never completes, not a slow one.
     */
    void awaitHandshakeOn(WireGuardDevice server, Key clientPublic) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (PeerSnapshot p : server.snapshot().peers()) {
                if (p.publicKey().equals(clientPublic) && p.lastHandshakeEpochNanos() != 0) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never completed a handshake with the client");
    }

    @Override
    public void close() {
        device.close();
    }
}
