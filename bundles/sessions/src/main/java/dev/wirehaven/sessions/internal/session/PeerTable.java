package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerFilter;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sessions' view of the WireGuard device: peers put on and taken off as the store records them,
 * and the device's per-peer counters, port and key. A device snapshot copies every peer, so the calls
 * that only show counters, the port or the key share one that is at most {@link #RECENT_NANOS} old;
 * the reaper and {@code confirm}, which decide on handshakes, take a fresh one.
 */
final class PeerTable {

    private static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final WireGuardDevice device;
    private volatile Snapshot recent;
    private volatile DerivedKey lastKey;

    PeerTable(WireGuardDevice device) {
        this.device = device;
    }

    String interfaceName() {
        return device.name();
    }

    /**
     * Puts the peer on the device as recorded (key, preshared key, exactly these allowed IPs, keepalive)
     * and owned by its session, with {@code filter} in force from its first packet. The device refuses a
     * key that another owner's peer or a static peer has, and a prefix that overlaps one of theirs, so
     * that no session can take over another's traffic even when two requests race.
     *
     * @param filter the session's access filter, or {@code null} for none (enforcement off)
     */
    void put(PeerRecord peer, PeerFilter filter) throws ConfigException {
        Key publicKey = Key.fromBase64(peer.publicKey());
        Key psk = peer.presharedKey() == null ? null : Key.fromBase64(peer.presharedKey());
        device.configure(tx -> {
            PeerConfigurator p = tx.ownedPeer(publicKey, ownerOf(peer.sessionId()));
            p.filter(filter);
            p.presharedKey(psk);
            p.replaceAllowedIps();
            for (String prefix : peer.allowedIps()) {
                p.claimAllowedIp(Cidr.parse(prefix));
            }
            p.persistentKeepalive(peer.keepaliveSeconds());
        });
        recent = null;
    }

    /**
     * Replaces the filter of a session's peer, if the session's peer is on the device.
     *
     * @return false when the device has no peer of that key owned by that session
     */
    boolean filter(String publicKey, String sessionId, PeerFilter filter) throws ConfigException {
        PeerSnapshot now = take().peers().get(publicKey);
        if (now == null || !ownerOf(sessionId).equals(now.owner())) {
            return false;
        }
        Key key = Key.fromBase64(publicKey);
        boolean[] found = new boolean[1];
        device.configure(tx -> {
            PeerConfigurator p = tx.peer(key, true);
            if (p != null) {
                p.filter(filter);
                found[0] = true;
            }
        });
        return found[0];
    }

    /** Stops routing {@code prefixes} to the session's peer, if it is on the device and the session's. */
    void removeAllowedIps(String publicKey, String sessionId, List<Cidr> prefixes) throws ConfigException {
        PeerSnapshot now = take().peers().get(publicKey);
        if (now == null || !ownerOf(sessionId).equals(now.owner())) {
            return;
        }
        Key key = Key.fromBase64(publicKey);
        device.configure(tx -> {
            PeerConfigurator p = tx.peer(key, true);
            if (p != null) {
                prefixes.forEach(p::removeAllowedIp);
            }
        });
        recent = null;
    }

    /** The owner under which a session's peer sits on the device. */
    static String ownerOf(String sessionId) {
        return "session:" + sessionId;
    }

    /**
     * The prefixes of the device's peers that no session owns (static peers of the interface's
     * configuration, peers set with {@code wg}), with the key of each as {@code wg} shows it: the pools
     * never lease their addresses and no client may advertise them.
     */
    List<Owned> staticPrefixes() {
        List<Owned> owned = new ArrayList<>();
        // fresh: the interface's static peers change outside this table (its configuration, 'wg set')
        for (PeerSnapshot p : take().peers().values()) {
            if (p.owner() == null) {
                for (Cidr c : p.allowedIps()) {
                    owned.add(new Owned(p.publicKey().toBase64(), new IpPrefix(c.address(), c.prefixLength())));
                }
            }
        }
        return owned;
    }

    /** A prefix and the key of the peer that has it. */
    record Owned(String publicKey, IpPrefix prefix) {}

    /**
     * Takes the session's peer off the device, if it is there and the session's: a peer of the same key
     * that someone else owns (a static peer) stays.
     */
    void remove(String publicKey, String sessionId) throws ConfigException {
        PeerSnapshot there = current().peers().get(publicKey); // an owner does not change while its session lasts
        if (there == null || !ownerOf(sessionId).equals(there.owner())) {
            return;
        }
        Key key = Key.fromBase64(publicKey);
        device.configure(tx -> tx.removePeer(key));
        recent = null;
    }

    /** The peers as the device has them now, by public key (standard base64). */
    /** The device's whole state now, drop counters included (for the metrics; a copy of every peer). */
    DeviceSnapshot device() {
        return device.snapshot();
    }

    Map<String, PeerSnapshot> fresh() {
        return take().peers();
    }

    /** The peers as the device had them at most a quarter of a second ago. */
    Map<String, PeerSnapshot> recent() {
        return current().peers();
    }

    /** The device's UDP port. */
    int listenPort() {
        return current().listenPort();
    }

    /** The device's public key (standard base64), or null when it has no private key yet. */
    String publicKey() {
        return current().publicKey();
    }

    private Snapshot current() {
        Snapshot s = recent;
        return s == null || System.nanoTime() - s.takenAt() > RECENT_NANOS ? take() : s;
    }

    private Snapshot take() {
        DeviceSnapshot snapshot = device.snapshot();
        Map<String, PeerSnapshot> byKey = new HashMap<>();
        for (PeerSnapshot p : snapshot.peers()) {
            byKey.put(p.publicKey().toBase64(), p);
        }
        Key privateKey = snapshot.privateKey();
        String publicKey = null;
        if (privateKey != null) {
            DerivedKey derived = lastKey;
            if (derived == null || !derived.privateKey().equals(privateKey)) {
                derived = new DerivedKey(privateKey, Keys.publicFrom(privateKey).toBase64());
                lastKey = derived;
            }
            publicKey = derived.publicKey(); // the same key as before spares the curve multiplication
        }
        Snapshot taken = new Snapshot(System.nanoTime(), byKey, snapshot.listenPort(), publicKey);
        recent = taken;
        return taken;
    }

    /** What one device snapshot said, kept for {@link #RECENT_NANOS}. */
    private record Snapshot(long takenAt, Map<String, PeerSnapshot> peers, int listenPort, String publicKey) {}

    /** The device's public key with the private key it was derived from. */
    private record DerivedKey(Key privateKey, String publicKey) {}
}
