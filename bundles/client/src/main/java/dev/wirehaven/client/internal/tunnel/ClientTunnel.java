package dev.wirehaven.client.internal.tunnel;

import dev.wirehaven.client.HostNetwork;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.TunnelPlatform;
import dev.wirehaven.tun.TunDevice;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The client's side of the tunnel: a userspace WireGuard device over the platform's TUN device and
 * UDP sockets, with the server as its one peer, and the host network configured for it. It outlives
 * reconnects (same keys, same interface); only the peer's settings change with a new session.
 */
public final class ClientTunnel implements AutoCloseable {

    private final String name;
    private final TunnelPlatform platform;
    private final WireGuardDevice device;
    private final AutoCloseable published;
    private volatile Key serverKey;
    private volatile int keepalive;
    private volatile HostNetwork host;

    private ClientTunnel(String name, TunnelPlatform platform, WireGuardDevice device, AutoCloseable published) {
        this.name = name;
        this.platform = platform;
        this.device = device;
        this.published = published;
    }

    /** Creates the TUN device and the WireGuard device with the client's private key. */
    public static ClientTunnel open(TunnelPlatform platform, String name, Key privateKey, int mtu) throws IOException {
        TunDevice tun = platform.openTun(name, mtu);
        WireGuardDevice device;
        try {
            device = WireGuard.createDevice(name, tun, platform.binds(), platform.deviceOptions());
        } catch (IOException | RuntimeException e) {
            try {
                tun.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        try {
            device.configure(c -> c.privateKey(privateKey));
            return new ClientTunnel(name, platform, device, platform.publish(device));
        } catch (IOException | ConfigException | RuntimeException e) {
            device.close();
            throw e instanceof IOException io
                    ? io
                    : new IOException("cannot configure " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public WireGuardDevice device() {
        return device;
    }

    /**
     * Makes the server the device's one peer, replacing any peer before (a new session has a new
     * preshared key, so the old peer's keypairs are useless).
     */
    public void setServer(
            Key serverPublicKey,
            Key presharedKey,
            InetSocketAddress endpoint,
            int persistentKeepalive,
            List<Cidr> allowedIps)
            throws IOException {
        configure(c -> {
            c.replacePeers();
            PeerConfigurator p = c.peer(serverPublicKey, false);
            p.presharedKey(presharedKey);
            p.endpoint(endpoint);
            p.replaceAllowedIps();
            allowedIps.forEach(p::addAllowedIp);
            p.persistentKeepalive(persistentKeepalive);
        });
        serverKey = serverPublicKey;
        keepalive = persistentKeepalive;
    }

    /**
     * Points the tunnel at another gateway of the cluster that holds this session's peer too: the server
     * peer is replaced by one with {@code gatewayKey} at {@code endpoint}, with the preshared key, allowed
     * IPs and keepalive it had (the client's private key and addresses are the device's and stay). The
     * new peer has no session yet: the next packet, or {@link #kickHandshake()}, starts a handshake with it.
     * With the key it had, this is a probe: the gateway must answer a fresh handshake.
     */
    public void replaceServer(Key gatewayKey, InetSocketAddress endpoint) throws IOException {
        Key old = requireServer();
        PeerSnapshot now = server().orElseThrow(() -> new IOException(name + " has no server peer"));
        configure(c -> {
            c.removePeer(old);
            PeerConfigurator p = c.peer(gatewayKey, false);
            p.presharedKey(now.presharedKey());
            p.endpoint(endpoint);
            now.allowedIps().forEach(p::addAllowedIp);
            p.persistentKeepalive(now.persistentKeepaliveSeconds());
        });
        serverKey = gatewayKey;
    }

    /** The server peer's public key, or {@code null} before the first setup. */
    public Key serverKey() {
        return serverKey;
    }

    /** A policy update: the server peer's allowed IPs and keepalive. */
    public void updateServer(List<Cidr> allowedIps, int persistentKeepalive) throws IOException {
        Key key = requireServer();
        configure(c -> {
            PeerConfigurator p = c.peer(key, true);
            if (p != null) {
                p.replaceAllowedIps();
                allowedIps.forEach(p::addAllowedIp);
                p.persistentKeepalive(persistentKeepalive);
            }
        });
        keepalive = persistentKeepalive;
    }

    /** The server's endpoint, when a reconnect found it at another address. */
    public void setEndpoint(InetSocketAddress endpoint) throws IOException {
        Key key = requireServer();
        configure(c -> {
            PeerConfigurator p = c.peer(key, true);
            if (p != null) {
                p.endpoint(endpoint);
            }
        });
    }

    /**
     * Makes the device send to the server now, which starts a handshake when there is no current
     * session: the device sends a keepalive at once when persistent keepalive is switched on, so
     * it is switched off and on (and back off, if that is the setting) within the configuration lock.
     */
    public void kickHandshake() throws IOException {
        Key key = requireServer();
        int wanted = keepalive;
        configure(c -> {
            PeerConfigurator p = c.peer(key, true);
            if (p != null) {
                p.persistentKeepalive(0);
                p.persistentKeepalive(Math.max(1, wanted));
            }
        });
        if (wanted == 0) {
            configure(c -> {
                PeerConfigurator p = c.peer(key, true);
                if (p != null) {
                    p.persistentKeepalive(0);
                }
            });
        }
    }

    /** The server peer's counters now, if it is configured. */
    public Optional<PeerSnapshot> server() {
        Key key = serverKey;
        if (key == null) {
            return Optional.empty();
        }
        return device.snapshot().peers().stream()
                .filter(p -> p.publicKey().equals(key))
                .findFirst();
    }

    /**
     * Seconds since the last completed handshake with the server, -1 if none. Measured with the
     * system's wall clock, not a connection's timebase: the device stamps handshakes with that clock.
     */
    public long handshakeAgeSeconds() {
        long at = server().map(PeerSnapshot::lastHandshakeEpochNanos).orElse(0L);
        if (at == 0) {
            return -1;
        }
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        return Math.max(0, (nowNanos - at) / 1_000_000_000L);
    }

    /** Configures the host network the first time, updates it after. */
    public void applyHost(NetworkSettings settings) throws IOException {
        HostNetwork h = host;
        if (h == null) {
            host = platform.configure(name, settings);
        } else {
            h.update(settings);
        }
    }

    /** The host network's settings in effect, or {@code null} before {@link #applyHost}. */
    public NetworkSettings hostSettings() {
        HostNetwork h = host;
        return h == null ? null : h.settings();
    }

    /** Restores the host network, then closes the device (and with it the TUN interface). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        HostNetwork h = host;
        host = null;
        if (h != null) {
            try {
                h.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            published.close();
        } catch (Exception e) {
            if (failure == null) {
                failure = new IOException("cannot stop publishing " + name + ": " + e.getMessage(), e);
            }
        }
        device.close();
        if (failure != null) {
            throw failure;
        }
    }

    private Key requireServer() throws IOException {
        Key key = serverKey;
        if (key == null) {
            throw new IOException(name + " has no server peer yet");
        }
        return key;
    }

    private void configure(WireGuardDevice.ConfigTransaction transaction) throws IOException {
        try {
            device.configure(transaction);
        } catch (ConfigException e) {
            throw new IOException("cannot configure " + name + ": " + e.getMessage(), e);
        }
    }
}
