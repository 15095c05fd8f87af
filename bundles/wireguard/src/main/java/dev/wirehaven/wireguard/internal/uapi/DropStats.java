package dev.wirehaven.wireguard.internal.uapi;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.HandshakeStats;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

/**
 * The drop counters that the stats socket ({@code /var/run/wireguard/<iface>.stats}) writes to
 * every client that connects, after a first line {@code data_path=<WireGuardDevice#dataPath()>} (JDK,
 * cipher, TUN and UDP paths) that the server puts in front: one {@code drop_<reason>=<count>} line per {@link DropReason}
 * (lower case, every reason, zeros included), then {@code drop_total=<sum>}; then
 * {@code handshakes_completed=<count>} and {@code handshake_latency_avg_ms=<mean>} (three decimals,
 * {@code 0.000} before the first handshake; {@link HandshakeStats}); then one
 * {@code blocked_source=<prefix>} line per blocked source prefix
 * ({@link dev.wirehaven.wireguard.DeviceConfigurator#blockSources}), one
 * {@code rate_limited_source=<count> <address>} line per source whose handshakes the rate limit
 * refused (most refused first; an IPv6 source is its /64), and, for each peer with a filter
 * ({@link dev.wirehaven.wireguard.PeerFilter}), in peer order:
 *
 * <pre>
 * filter_peer=&lt;public key, base64&gt;
 * filter_owner=&lt;owner&gt;               (only for a peer with an owner)
 * filter_open_flows=&lt;flows tracked now&gt;
 * filter_denied_destinations=&lt;estimate&gt; (only when not 0: distinct destinations denied)
 * disallowed_source=&lt;packets&gt;         (only when not 0: packets from a source not its own)
 * filter_denied=&lt;count&gt; &lt;rule name&gt;   (one line per rule that denied something, by name)
 * </pre>
 *
 * and for each peer without a filter that sent packets from a source outside its allowed IPs
 * ({@link PeerSnapshot#disallowedSourcePackets}; its own block, as the {@code filter_} lines would
 * claim a filter):
 *
 * <pre>
 * peer=&lt;public key, base64&gt;
 * owner=&lt;owner&gt;                      (only for a peer with an owner)
 * disallowed_source=&lt;packets&gt;
 * </pre>
 *
 * and a blank line. The count comes first so that a rule name may hold any character; control
 * characters in names and owners are shown as {@code ?}.
 *
 * <p>The counters are not in the {@code get=1} reply because {@code wg} rejects keys that it does
 * not know; a separate socket keeps the configuration protocol exactly wireguard-go's. It is read
 * with {@code wirehaven-wg --stats <iface>} or any Unix socket client
 * ({@code socat - UNIX-CONNECT:/var/run/wireguard/wg0.stats}).
 */
final class DropStats {

    private DropStats() {}

    static String format(DeviceSnapshot snapshot) {
        Map<DropReason, Long> drops = snapshot.drops();
        StringBuilder out = new StringBuilder(512);
        long total = 0;
        for (DropReason reason : DropReason.values()) {
            long count = drops.getOrDefault(reason, 0L);
            total += count;
            out.append("drop_")
                    .append(reason.name().toLowerCase(Locale.ROOT))
                    .append('=')
                    .append(count)
                    .append('\n');
        }
        out.append("drop_total=").append(total).append('\n');
        HandshakeStats handshakes = snapshot.handshakes();
        out.append("handshakes_completed=").append(handshakes.completed()).append('\n');
        out.append("handshake_latency_avg_ms=")
                .append(String.format(Locale.ROOT, "%.3f", handshakes.latencyAverageNanos() / 1e6))
                .append('\n');
        for (Cidr prefix : snapshot.blockedSources()) {
            out.append("blocked_source=").append(IpText.formatPrefix(prefix)).append('\n');
        }
        snapshot.rateLimitedSources().entrySet().stream()
                .sorted(Map.Entry.<InetAddress, Long>comparingByValue()
                        .reversed()
                        .thenComparing(e -> IpAddresses.format(e.getKey())))
                .forEach(e -> out.append("rate_limited_source=")
                        .append(e.getValue())
                        .append(' ')
                        .append(IpAddresses.format(e.getKey()))
                        .append('\n'));
        for (PeerSnapshot peer : snapshot.peers()) {
            if (peer.filtered()) {
                filter(out, peer);
            } else if (peer.disallowedSourcePackets() != 0) {
                spoofing(out, peer);
            }
        }
        return out.append('\n').toString();
    }

    private static void filter(StringBuilder out, PeerSnapshot peer) {
        out.append("filter_peer=").append(peer.publicKey().toBase64()).append('\n');
        if (peer.owner() != null) {
            out.append("filter_owner=").append(printable(peer.owner())).append('\n');
        }
        out.append("filter_open_flows=").append(peer.openFlows()).append('\n');
        if (peer.deniedDestinations() != 0) {
            out.append("filter_denied_destinations=")
                    .append(peer.deniedDestinations())
                    .append('\n');
        }
        disallowedSource(out, peer);
        peer.deniedByRule().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append("filter_denied=")
                        .append(e.getValue())
                        .append(' ')
                        .append(printable(e.getKey()))
                        .append('\n'));
    }

    /** An unfiltered peer that sent from addresses it was not given. */
    private static void spoofing(StringBuilder out, PeerSnapshot peer) {
        out.append("peer=").append(peer.publicKey().toBase64()).append('\n');
        if (peer.owner() != null) {
            out.append("owner=").append(printable(peer.owner())).append('\n');
        }
        disallowedSource(out, peer);
    }

    private static void disallowedSource(StringBuilder out, PeerSnapshot peer) {
        if (peer.disallowedSourcePackets() != 0) {
            out.append("disallowed_source=")
                    .append(peer.disallowedSourcePackets())
                    .append('\n');
        }
    }

    private static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
