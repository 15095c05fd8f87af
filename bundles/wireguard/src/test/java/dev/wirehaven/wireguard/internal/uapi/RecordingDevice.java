package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceConfigurator;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configuration-only implementation of the device SDK for the protocol tests: it keeps the state
 * that configure operations describe, answers snapshots from it, and records every operation as a
 * line of text so that tests can check order and arguments. It has no data plane; the tests that
 * need one use the real device.
 */
final class RecordingDevice implements WireGuardDevice {

    final List<String> operations = new ArrayList<>();
    final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    /** Ports that {@code listenPort} refuses, as a bind to a port in use would. */
    final Set<Integer> portsInUse = new LinkedHashSet<>();

    private final String name;
    private Key privateKey;
    private int listenPort;
    private int fwmark;
    private final Map<Key, PeerState> peers = new LinkedHashMap<>();
    private boolean closed;

    RecordingDevice(String name) {
        this.name = name;
    }

    static final class PeerState {
        final Key publicKey;
        Key presharedKey;
        InetSocketAddress endpoint;
        int keepalive;
        final Set<Cidr> allowedIps = new LinkedHashSet<>();
        long handshakeNanos;
        long rx;
        long tx;

        PeerState(Key publicKey) {
            this.publicKey = publicKey;
        }
    }

    PeerState peerState(Key key) {
        return peers.get(key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void configure(ConfigTransaction transaction) throws ConfigException {
        transaction.apply(new DeviceConfigurator() {
            @Override
            public void privateKey(Key key) {
                operations.add(
                        "privateKey " + (key == null ? "none" : key.toHex().substring(0, 8)));
                privateKey = key;
            }

            @Override
            public void listenPort(int port) throws ConfigException {
                operations.add("listenPort " + port);
                if (portsInUse.contains(port)) {
                    listenPort = 0;
                    throw new ConfigException("port " + port + " is in use");
                }
                listenPort = port == 0 ? 40000 : port;
            }

            @Override
            public void fwmark(int mark) {
                operations.add("fwmark " + Integer.toUnsignedString(mark));
                fwmark = mark;
            }

            @Override
            public void replacePeers() {
                operations.add("replacePeers");
                peers.clear();
            }

            @Override
            public PeerConfigurator peer(Key publicKey, boolean updateOnly) {
                operations.add("peer " + publicKey.toHex().substring(0, 8) + (updateOnly ? " updateOnly" : ""));
                PeerState state = peers.get(publicKey);
                if (state == null) {
                    if (updateOnly) {
                        return null;
                    }
                    state = new PeerState(publicKey);
                    peers.put(publicKey, state);
                }
                return peerConfigurator(state);
            }

            @Override
            public PeerConfigurator ownedPeer(Key publicKey, String owner) {
                throw new UnsupportedOperationException("the userspace API never creates owned peers");
            }

            @Override
            public void blockSources(List<Cidr> prefixes) {
                throw new UnsupportedOperationException("the userspace API never blocks sources");
            }

            @Override
            public void removePeer(Key publicKey) {
                operations.add("removePeer " + publicKey.toHex().substring(0, 8));
                peers.remove(publicKey);
            }
        });
    }

    private PeerConfigurator peerConfigurator(PeerState state) {
        return new PeerConfigurator() {
            @Override
            public void presharedKey(Key key) {
                operations.add(
                        "presharedKey " + (key == null ? "none" : key.toHex().substring(0, 8)));
                state.presharedKey = key;
            }

            @Override
            public void endpoint(InetSocketAddress endpoint) {
                operations.add("endpoint " + endpoint.getAddress().getHostAddress() + " " + endpoint.getPort());
                state.endpoint = endpoint;
            }

            @Override
            public void persistentKeepalive(int seconds) {
                operations.add("keepalive " + seconds);
                state.keepalive = seconds;
            }

            @Override
            public void replaceAllowedIps() {
                operations.add("replaceAllowedIps");
                state.allowedIps.clear();
            }

            @Override
            public void addAllowedIp(Cidr prefix) {
                operations.add("addAllowedIp " + prefix);
                for (PeerState other : peers.values()) {
                    other.allowedIps.remove(prefix);
                }
                state.allowedIps.add(prefix);
            }

            @Override
            public void claimAllowedIp(Cidr prefix) {
                throw new UnsupportedOperationException("the userspace API never claims allowed IPs");
            }

            @Override
            public void filter(PeerFilter filter) {
                throw new UnsupportedOperationException("the userspace API never sets filters");
            }

            @Override
            public void removeAllowedIp(Cidr prefix) {
                operations.add("removeAllowedIp " + prefix);
                state.allowedIps.remove(prefix);
            }
        };
    }

    @Override
    public synchronized DeviceSnapshot snapshot() {
        List<PeerSnapshot> list = new ArrayList<>();
        for (PeerState p : peers.values()) {
            list.add(new PeerSnapshot(
                    p.publicKey,
                    p.presharedKey,
                    p.endpoint,
                    p.keepalive,
                    new ArrayList<>(p.allowedIps),
                    p.handshakeNanos,
                    p.rx,
                    p.tx));
        }
        return new DeviceSnapshot(privateKey, listenPort, fwmark, list, drops);
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
