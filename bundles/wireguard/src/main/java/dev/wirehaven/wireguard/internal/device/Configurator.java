package dev.wirehaven.wireguard.internal.device;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceConfigurator;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerFilter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operations of one {@link Device#configure} transaction; runs under the device's configuration lock.
 *
 * <p>Ownership: {@link #ownedPeer} creates peers with an owner and never hands one to another owner,
 * nor a peer of the operator ({@link #peer}, which creates peers without owner) to an owner. The
 * operator's {@link #peer}, {@link #removePeer} and {@link #replacePeers} reach owned peers too, as
 * the stock {@code wg} tool reaches every peer; an owned peer keeps its owner when the operator
 * changes it.
 */
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
        public void claimAllowedIp(Cidr prefix) {}

        @Override
        public void filter(PeerFilter filter) {}

        @Override
        public void removeAllowedIp(Cidr prefix) {}
    };

    private final Device device;
    private final List<Peer> keepaliveNow;
    private BlockedSources blockedSources; // null: this transaction leaves the list as it is

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
        device.net.setListenPort(port);
    }

    @Override
    public void fwmark(int fwmark) {
        device.net.setFwmark(fwmark);
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
            p = device.addPeer(publicKey, null);
        }
        return new PeerConfig(p);
    }

    @Override
    public PeerConfigurator ownedPeer(Key publicKey, String owner) throws ConfigException {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(owner, "owner");
        if (publicKey.equals(device.publicKey())) {
            throw new ConfigException("a peer for " + owner + " cannot have the device's own public key");
        }
        Peer p = device.peer(publicKey);
        if (p == null) {
            return new PeerConfig(device.addPeer(publicKey, owner));
        }
        if (p.owner == null) {
            throw new ConfigException("the peer for " + owner
                    + " is already on the device without owner (configured by the operator); it is not taken over");
        }
        if (!p.owner.equals(owner)) {
            throw new ConfigException(
                    "the peer for " + owner + " is already on the device for another owner; it is not taken over");
        }
        return new PeerConfig(p);
    }

    /** Staged: {@link Device#configure} publishes the list only once the whole transaction succeeded. */
    @Override
    public void blockSources(List<Cidr> prefixes) {
        blockedSources = new BlockedSources(Objects.requireNonNull(prefixes, "prefixes"));
    }

    /** The list this transaction set, or {@code null} if it set none. */
    BlockedSources blockedSources() {
        return blockedSources;
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

        /** Any overlap with a peer of another owner refuses the claim; see {@link PeerConfigurator}. */
        @Override
        public void claimAllowedIp(Cidr prefix) throws ConfigException {
            Objects.requireNonNull(prefix, "prefix");
            for (Map.Entry<Cidr, Peer> taken : device.allowedIps.overlapping(prefix)) {
                Peer other = taken.getValue();
                if (other != peer && (other.owner == null || !other.owner.equals(peer.owner))) {
                    throw new ConfigException("allowed IP " + prefix + " is taken: it overlaps " + taken.getKey()
                            + " of " + (other.owner == null ? "a peer without owner" : "a peer of another owner"));
                }
            }
            device.allowedIps.insert(prefix, peer);
        }

        @Override
        public void filter(PeerFilter filter) {
            peer.setFilter(filter);
        }

        @Override
        public void removeAllowedIp(Cidr prefix) {
            device.allowedIps.remove(prefix, peer);
        }
    }
}
