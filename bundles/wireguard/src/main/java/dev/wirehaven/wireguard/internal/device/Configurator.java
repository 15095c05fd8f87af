package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceConfigurator;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/** The operations of one {@link Device#configure} transaction; runs under the device's configuration lock. */
final class Configurator implements DeviceConfigurator {

    /** A peer with the device's own public key is ignored, as wireguard-go does. */
    private static final PeerConfigurator IGNORED = new PeerConfigurator() {
        @Override
        public void presharedKey(Key presharedKey) {}

        @Override
        public void endpoint(InetSocketAddress endpoint) {}

        @Override
        public void persistentKeepalive(int seconds) {}

        @Override
        public void replaceAllowedIps() {}

        @Override
        public void addAllowedIp(Cidr prefix) {}

        @Override
        public void removeAllowedIp(Cidr prefix) {}
    };

    private final Device device;
    private final List<Peer> keepaliveNow;

    Configurator(Device device, List<Peer> keepaliveNow) {
        this.device = device;
        this.keepaliveNow = keepaliveNow;
    }

    @Override
    public void privateKey(Key privateKey) {
        device.setPrivateKey(privateKey);
    }

    @Override
    public void listenPort(int port) throws ConfigException {
        device.setListenPort(port);
    }

    @Override
    public void fwmark(int fwmark) {
        device.setFwmark(fwmark);
    }

    @Override
    public void replacePeers() {
        device.removeAllPeers();
    }

    @Override
    public PeerConfigurator peer(Key publicKey, boolean updateOnly) throws ConfigException {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.equals(device.publicKey())) {
            return IGNORED;
        }
        Peer p = device.peer(publicKey);
        if (p == null) {
            if (updateOnly) {
                return null;
            }
            p = device.addPeer(publicKey);
        }
        return new PeerConfig(p);
    }

    @Override
    public void removePeer(Key publicKey) {
        device.removePeer(publicKey);
    }

    private final class PeerConfig implements PeerConfigurator {

        private final Peer peer;

        PeerConfig(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void presharedKey(Key presharedKey) {
            peer.setPresharedKey(presharedKey);
        }

        @Override
        public void endpoint(InetSocketAddress endpoint) {
            peer.endpoint = endpoint;
        }

        @Override
        public void persistentKeepalive(int seconds) {
            if (seconds < 0 || seconds > 65535) {
                throw new IllegalArgumentException("persistent keepalive must be 0-65535 seconds, was " + seconds);
            }
            int old = peer.persistentKeepaliveSeconds;
            peer.persistentKeepaliveSeconds = seconds;
            if (old == 0 && seconds > 0) {
                keepaliveNow.add(peer); // as wireguard-go: turning it on sends one at once
            }
        }

        @Override
        public void replaceAllowedIps() {
            device.allowedIps.removeAll(peer);
        }

        @Override
        public void addAllowedIp(Cidr prefix) {
            device.allowedIps.insert(prefix, peer);
        }

        @Override
        public void removeAllowedIp(Cidr prefix) {
            device.allowedIps.remove(prefix, peer);
        }
    }
}
