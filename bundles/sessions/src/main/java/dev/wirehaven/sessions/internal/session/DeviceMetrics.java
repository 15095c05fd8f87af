package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.wireguard.DeviceSnapshot;
import dev.wirehaven.wireguard.DropReason;
import dev.wirehaven.wireguard.HandshakeStats;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server's own measurements, sampled from its device every {@link #INTERVAL} and sent to the
 * sinks: per session, the bytes and packets its peer carried, the flows each policy rule allowed and
 * the age of its last handshake (what
 * the device counted, not what the client reports, which a client could fake); per interface, the
 * packets dropped by reason and the open sessions by phase. Counters are the device's running
 * totals, so a sink that misses a sample loses nothing.
 *
 * <p>One device snapshot and one query of the open sessions per interval: a copy of every peer's state
 * every ten seconds, never on the packet path.
 */
final class DeviceMetrics {

    /** Often enough for a dashboard, far below Prometheus's default scrape of 15 s... times the peers. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /** The phases a session passes through while open, reported even when empty so that a gauge goes to 0. */
    private static final List<SessionPhase> OPEN_PHASES = List.of(
            SessionPhase.REQUESTED,
            SessionPhase.CHALLENGED,
            SessionPhase.AUTHENTICATED,
            SessionPhase.CONFIGURED,
            SessionPhase.ACTIVE);

    private final SessionRepository sessions;
    private final PeerTable table;
    private final FlowEvents events;
    private final Clock clock;
    private final AuthResults authResults;
    /** Each open session's count of packets from addresses it was not given, at the last sample. */
    private final Map<String, Long> spoofed = new HashMap<>();

    private final TrafficTotals totals = new TrafficTotals();
    /** The handshake totals of the previous sample, to tell the latency of the handshakes since then. */
    private long lastLatencyCount;

    private long lastLatencySumNanos;

    DeviceMetrics(SessionRepository sessions, PeerTable table, FlowEvents events, Clock clock) {
        this(sessions, table, events, clock, new AuthResults());
    }

    DeviceMetrics(
            SessionRepository sessions, PeerTable table, FlowEvents events, Clock clock, AuthResults authResults) {
        this.authResults = authResults;
        this.sessions = sessions;
        this.table = table;
        this.events = events;
        this.clock = clock;
    }

    /** One sample of everything; the timer calls it, tests call it directly. */
    synchronized void sample() {
        String iface = table.interfaceName();
        DeviceSnapshot device = table.device();
        Map<String, PeerSnapshot> peers = new HashMap<>();
        for (PeerSnapshot p : device.peers()) {
            peers.put(p.publicKey().toBase64(), p);
        }
        Map<SessionPhase, Integer> byPhase = new EnumMap<>(SessionPhase.class);
        Set<String> open = new HashSet<>();
        Map<String, String> users = new HashMap<>(); // by peer key
        for (SessionRecord s : sessions.open()) {
            open.add(s.id());
            byPhase.merge(s.phase(), 1, Integer::sum);
            PeerSnapshot p = peers.get(s.clientPublicKey());
            if (p == null || s.user() == null) {
                continue; // not on the device (yet): nothing carried
            }
            users.put(s.clientPublicKey(), s.user());
            Map<String, String> tags = Map.of("interface", iface, "user", s.user(), "session", s.id());
            events.counter("peer.bytes.received", p.rxBytes(), "bytes", tags);
            events.counter("peer.bytes.sent", p.txBytes(), "bytes", tags);
            events.counter("peer.packets.received", p.rxPackets(), "packets", tags);
            events.counter("peer.packets.sent", p.txPackets(), "packets", tags);
            events.gauge("peer.packets.lost", p.lostPackets(), "packets", tags);
            if (p.disallowedSourcePackets() > 0) {
                events.counter("peer.spoofed.packets", p.disallowedSourcePackets(), "packets", tags);
                reportSpoofing(s, p);
            }
            allowedFlows(p, tags);
            if (p.deniedDestinations() > 0) {
                // what a scan inside the tunnel looks like: many distinct destinations, all refused
                events.counter("policy.denied.destinations", p.deniedDestinations(), "destinations", tags);
            }
            if (p.lastHandshakeEpochNanos() > 0) {
                double age = (clock.millis() * 1_000_000.0 - p.lastHandshakeEpochNanos()) / 1e9;
                events.gauge("peer.handshake.age", Math.max(0, age), "seconds", tags);
            }
        }
        spoofed.keySet().retainAll(open);
        traffic(iface, device, users);
        for (SessionPhase phase : OPEN_PHASES) {
            events.gauge(
                    "sessions",
                    byPhase.getOrDefault(phase, 0),
                    "1",
                    Map.of("interface", iface, "phase", phase.name().toLowerCase(Locale.ROOT)));
        }
        handshakes(iface, device.handshakes());
        for (Map.Entry<AuthResults.Key, Long> r : authResults.totals().entrySet()) {
            events.counter(
                    "auth.results",
                    r.getValue(),
                    "answers",
                    Map.of(
                            "provider", r.getKey().provider(),
                            "method", r.getKey().method(),
                            "outcome", r.getKey().outcome().tag()));
        }
        for (Map.Entry<InetAddress, Long> source : device.rateLimitedSources().entrySet()) {
            // a source that proved its address with a cookie and still sends handshakes too fast: at most
            // 16 of them, so the tag's values stay few
            events.counter(
                    "handshake.rate-limited",
                    source.getValue(),
                    "messages",
                    Map.of("interface", iface, "source", source.getKey().getHostAddress()));
        }
        for (Map.Entry<DropReason, Long> drop : device.drops().entrySet()) {
            events.counter(
                    "interface.drops",
                    drop.getValue(),
                    "packets",
                    Map.of(
                            "interface",
                            iface,
                            "reason",
                            drop.getKey().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
    }

    /**
     * Handshakes completed on the interface (counter), how long all of them took (histogram {@code
     * handshake.duration}, seconds, the device's buckets) and, when some completed since the last
     * sample, their mean latency in seconds (gauge): one round trip plus the work of both sides, as
     * the device measured it. The alerts watch the mean; a dashboard draws quantiles from the
     * histogram. A device that restarted counts from zero again.
     */
    private void handshakes(String iface, HandshakeStats stats) {
        Map<String, String> tags = Map.of("interface", iface);
        events.counter("handshakes", stats.completed(), "handshakes", tags);
        events.histogram("handshake.duration", durations(stats), "seconds", tags);
        long count = stats.latencyCount() - lastLatencyCount;
        long sum = stats.latencySumNanos() - lastLatencySumNanos;
        if (count < 0 || sum < 0) { // the device started again
            count = stats.latencyCount();
            sum = stats.latencySumNanos();
        }
        if (count > 0) {
            events.gauge("handshake.latency", sum / 1e9 / count, "seconds", tags);
        }
        lastLatencyCount = stats.latencyCount();
        lastLatencySumNanos = stats.latencySumNanos();
    }

    /**
     * What the device carried in all, per interface and per user ({@code interface.bytes.received|sent},
     * {@code interface.packets.received|sent}, {@code user.bytes.received|sent}: counters since the
     * server started, which keep growing across sessions; see {@link TrafficTotals}), and the share of
     * incoming packets lost over the last interval ({@code interface.packet.loss}, gauge, 0 to 1,
     * from the gaps in the peers' transport counters), which the packet-loss alert watches.
     */
    private void traffic(String iface, DeviceSnapshot device, Map<String, String> users) {
        for (PeerSnapshot p : device.peers()) {
            String key = p.publicKey().toBase64();
            totals.add(
                    key,
                    users.get(key),
                    new TrafficTotals.Traffic(p.rxBytes(), p.txBytes(), p.rxPackets(), p.txPackets()),
                    p.lostPackets());
        }
        totals.endSample();
        Map<String, String> tags = Map.of("interface", iface);
        TrafficTotals.Traffic all = totals.device();
        events.counter("interface.bytes.received", all.rxBytes(), "bytes", tags);
        events.counter("interface.bytes.sent", all.txBytes(), "bytes", tags);
        events.counter("interface.packets.received", all.rxPackets(), "packets", tags);
        events.counter("interface.packets.sent", all.txPackets(), "packets", tags);
        events.gauge("interface.packet.loss", totals.lossOfLastSample(), "1", tags);
        for (Map.Entry<String, TrafficTotals.Traffic> u : totals.users().entrySet()) {
            Map<String, String> userTags = Map.of("interface", iface, "user", u.getKey());
            events.counter("user.bytes.received", u.getValue().rxBytes(), "bytes", userTags);
            events.counter("user.bytes.sent", u.getValue().txBytes(), "bytes", userTags);
        }
    }

    /**
     * The policy's allow decisions, by the rule that made them: one per new flow of the session's
     * peer ({@code policy.allowed.flows}, tagged with the rule). The denials are counted per packet
     * and reported with their security events (see {@code TrafficEnforcement}).
     */
    private void allowedFlows(PeerSnapshot p, Map<String, String> sessionTags) {
        for (Map.Entry<String, Long> rule : p.allowedFlowsByRule().entrySet()) {
            Map<String, String> tags = new HashMap<>(sessionTags);
            tags.put("rule", rule.getKey());
            events.counter("policy.allowed.flows", rule.getValue(), "flows", tags);
        }
    }

    /**
     * The device's latency histogram in the sinks' shape: bounds in seconds with +Inf last, and counts
     * summed from the first bucket on (the device keeps each bucket's own count).
     */
    static MetricSample.Buckets durations(HandshakeStats stats) {
        List<Double> bounds = new ArrayList<>();
        List<Long> cumulative = new ArrayList<>();
        long running = 0;
        for (int i = 0; i < stats.bucketUpperBoundsNanos().size(); i++) {
            long bound = stats.bucketUpperBoundsNanos().get(i);
            bounds.add(bound == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : bound / 1e9);
            running += stats.bucketCounts().get(i);
            cumulative.add(running);
        }
        return new MetricSample.Buckets(bounds, cumulative, stats.latencySumNanos() / 1e9);
    }

    /**
     * A client that sends from addresses it was not given (the device drops those packets) is trying to
     * pass as someone else: one {@code tunnel.spoofed-source} event per sample in which its count grew,
     * with the tunnel's endpoint as the source, so that a detector or an operator can act on it.
     */
    private void reportSpoofing(SessionRecord s, PeerSnapshot p) {
        long now = p.disallowedSourcePackets();
        Long before = spoofed.put(s.id(), now);
        long newly = before == null || now < before ? now : now - before;
        if (newly == 0) {
            return;
        }
        events.security(
                SecurityEvent.SPOOFED_SOURCE,
                Severity.HIGH,
                s.user(),
                p.endpoint() == null ? null : p.endpoint().getAddress(),
                s.id(),
                newly + " packets of session " + s.id() + " came from addresses it was not given and were dropped");
    }
}
