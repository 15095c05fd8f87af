package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.PeerConfigurator;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers that one interface's configuration put on its device, and nothing else: the device
 * also carries the peers of the session flow and of {@code wg set}, and a change of the
 * configuration must never remove or touch those. So this remembers what it applied, and a new
 * list is applied as the difference: peers that left the configuration are removed, new and
 * changed ones are (re)configured, unchanged ones are not touched at all (a handshake, a roamed
 * endpoint and the counters stay as they are).
 */
final class ConfiguredPeers {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredPeers.class);

    /** What a call of {@link #apply} did, for the log line. */
    record Change(int added, int changed, int removed) {

        boolean isEmpty() {
            return added + changed + removed == 0;
        }

        @Override
        public String toString() {
            return "static peers: " + added + " added, " + changed + " changed, " + removed + " removed";
        }
    }

    private Map<Key, ConfiguredPeer> applied = Map.of();

    /**
     * Makes the device's configured peers those of {@code wanted}.
     *
     * @throws ConfigException if the device refuses an operation; those before it stay applied, and
     *         are remembered as applied, so that the next call repairs the rest
     */
    Change apply(WireGuardDevice device, List<ConfiguredPeer> wanted) throws ConfigException {
        Map<Key, ConfiguredPeer> next = new LinkedHashMap<>();
        wanted.forEach(p -> next.put(p.publicKey(), p));
        Set<Key> onDevice =
                device.snapshot().peers().stream().map(PeerSnapshot::publicKey).collect(Collectors.toSet());
        Map<Key, ConfiguredPeer> done = new LinkedHashMap<>(applied);
        int added = 0;
        int changed = 0;
        int removed = 0;
        try {
            for (Key gone : new HashSet<>(applied.keySet())) {
                if (!next.containsKey(gone)) {
                    device.configure(c -> c.removePeer(gone));
                    done.remove(gone);
                    removed++;
                }
            }
            for (ConfiguredPeer peer : next.values()) {
                ConfiguredPeer before = applied.get(peer.publicKey());
                if (peer.equals(before)) {
                    continue;
                }
                if (before == null && onDevice.contains(peer.publicKey())) {
                    LOG.warn(
                            "WireGuard interface {}: peer {} was already on the device (added by a session or with"
                                    + " 'wg set'); it now follows the configuration, which also removes it when it leaves"
                                    + " the configuration",
                            device.name(),
                            peer.publicKey().toBase64());
                }
                device.configure(c -> configure(c.peer(peer.publicKey(), false), peer));
                done.put(peer.publicKey(), peer);
                if (before == null) {
                    added++;
                } else {
                    changed++;
                }
            }
        } finally {
            applied = Map.copyOf(done);
        }
        return new Change(added, changed, removed);
    }

    int size() {
        return applied.size();
    }

    private static void configure(PeerConfigurator c, ConfiguredPeer peer) {
        // a changed peer is written whole: a preshared key, allowed IP or keepalive that left the
        // configuration leaves the device too
        c.presharedKey(peer.presharedKey());
        if (peer.endpoint() != null) {
            c.endpoint(peer.endpoint());
        }
        c.persistentKeepalive(peer.persistentKeepalive());
        c.replaceAllowedIps();
        for (Cidr prefix : peer.allowedIps()) {
            c.addAllowedIp(prefix);
        }
    }
}
