package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.sessions.internal.store.NodeRecord;
import dev.wirehaven.sessions.internal.store.NodeRepository;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node among the gateway nodes of its store: its heartbeat row (where clients reach it, its key,
 * how loaded it is), written every {@link #HEARTBEAT}, and what it reads of the others: where a new
 * session's tunnel goes (placement by headroom), and the live nodes that a client may move to when its
 * gateway fails.
 */
final class NodeMembership {

    /** How often a node writes its row. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** A node whose last heartbeat is older than this is taken for gone. */
    static final Duration ALIVE = Duration.ofSeconds(5);
    /**
     * The share of its capacity (sessions or CPU) above which a node takes no new sessions while
     * another node is below it.
     */
    static final double THRESHOLD = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(NodeMembership.class);

    private final NodeSettings node;
    private final NodeRepository nodes;
    private final SessionRepository sessions;
    private final PeerTable table;
    private final Supplier<SessionSettings> settings;
    private final DoubleSupplier cpuLoad;
    private final Consumer<MetricSample> metrics;
    private final Clock clock;
    private final Instant startedAt;
    private volatile NodeRecord.NodeState state = NodeRecord.NodeState.ACTIVE;
    private volatile boolean warnedNoEndpoint;

    NodeMembership(
            NodeSettings node,
            NodeRepository nodes,
            SessionRepository sessions,
            PeerTable table,
            Supplier<SessionSettings> settings,
            DoubleSupplier cpuLoad,
            Consumer<MetricSample> metrics,
            Clock clock) {
        this.metrics = metrics;
        this.node = node;
        this.nodes = nodes;
        this.sessions = sessions;
        this.table = table;
        this.settings = settings;
        this.cpuLoad = cpuLoad;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    String name() {
        return node.name();
    }

    /** Whether this node takes new sessions and holds the sessions' peers. */
    boolean active() {
        return state == NodeRecord.NodeState.ACTIVE;
    }

    /**
     * Takes this node out of service for an upgrade: no new sessions from now on, and (through
     * {@link PeerSync}) no session peers, so that its clients find their gateway gone and move to
     * another node without a new login. Written to the node's row at once.
     */
    void drain() {
        state = NodeRecord.NodeState.DRAINING;
        beat();
    }

    /** Puts a drained node back in service. */
    void activate() {
        state = NodeRecord.NodeState.ACTIVE;
        beat();
    }

    /** Every node of the store that ever beat, with its open sessions counted now, by name. */
    List<NodeRecord> all() {
        Map<String, Integer> open = sessions.openByGateway();
        return nodes.all().stream()
                .map(n -> withOpen(n, open.getOrDefault(n.name(), 0)))
                .toList();
    }

    /** Writes this node's row now (the heartbeat's step). */
    void beat() {
        HostPort endpoint = settings.get().endpoint();
        String endpointText = endpoint == null || endpoint.port() == 0 ? null : endpoint.host() + ":" + endpoint.port();
        if ((endpointText == null || node.controlUrl() == null) && !warnedNoEndpoint) {
            warnedNoEndpoint = true;
            LOG.info(
                    "Node {} is not offered to clients as a gateway to move to: set endpoint (host:port) and"
                            + " node.control.url in etc/{}.cfg when several nodes share the store",
                    node.name(),
                    SessionSettings.PID);
        }
        double load = cpuLoad.getAsDouble();
        int served = servedSessions();
        nodes.beat(new NodeRecord(
                node.name(),
                endpointText,
                table.publicKey(),
                node.controlUrl(),
                node.capacity(),
                served,
                load >= 0 && Double.isFinite(load) ? Math.min(1.0, load) : 0.0,
                state,
                startedAt,
                clock.instant()));
        // the performance alert's input: node.sessions relative to node.capacity (monitor-alerts, node-load)
        Map<String, String> tags = Map.of("node", node.name());
        metrics.accept(MetricSample.gauge("node.sessions", served, "1", tags, clock.instant()));
        metrics.accept(MetricSample.gauge("node.capacity", node.capacity(), "1", tags, clock.instant()));
    }

    /** The heartbeat as a scheduled task: a store that is away costs one beat, never the timer. */
    void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("Node {}: no heartbeat this time: {}", node.name(), e.getMessage());
        }
    }

    /**
     * Where the tunnel of session {@code sessionId} goes: the node it already uses while that node is
     * alive and active, else the live active node with the most headroom among those below
     * {@link #THRESHOLD} of their capacity (this node first among equals), else, when every node is
     * above it, the one with the most headroom all the same (a full cluster serves worse rather than
     * not at all) with a warning. The choice is recorded as the session's gateway.
     */
    Placement place(String sessionId) {
        List<NodeRecord> candidates = candidates();
        Map<String, NodeRecord> byName = new HashMap<>();
        candidates.forEach(n -> byName.put(n.name(), n));
        NodeRecord chosen = sessions.gatewayOf(sessionId).map(byName::get).orElse(null);
        if (chosen == null) {
            chosen = candidates.stream()
                    .filter(n -> n.headroom() > 1.0 - THRESHOLD)
                    .findFirst()
                    .orElse(null);
        }
        if (chosen == null && !candidates.isEmpty()) {
            chosen = candidates.get(0);
            LOG.warn(
                    "Every gateway node is above {}% of its capacity or CPU: session {} goes to {}, the least loaded;"
                            + " add a node or raise node.capacity",
                    Math.round(THRESHOLD * 100), sessionId, chosen.name());
        }
        String gateway = chosen == null ? node.name() : chosen.name();
        sessions.assignGateway(sessionId, gateway);
        return new Placement(gateway.equals(node.name()) ? null : chosen, gatewaysBesides(gateway, candidates));
    }

    /**
     * The other nodes a client of session {@code sessionId} may move to, most headroom first: every live
     * active node that clients can reach except the one it uses.
     */
    List<Gateway> alternatives(String sessionId) {
        String current = sessions.gatewayOf(sessionId).orElse(node.name());
        return gatewaysBesides(current, candidates());
    }

    /**
     * Where a new session's tunnel goes.
     *
     * @param other the node chosen, or null for this one
     * @param alternatives the gateways the client may move to
     */
    record Placement(NodeRecord other, List<Gateway> alternatives) {}

    /**
     * The live active nodes that can take a tunnel, with their load counted now, most headroom first and
     * this node first among equals: the others need an endpoint, a key and a control URL that clients
     * can use; this one is always a candidate while it is active.
     */
    private List<NodeRecord> candidates() {
        Instant since = clock.instant().minus(ALIVE);
        Map<String, Integer> open = sessions.openByGateway();
        List<NodeRecord> candidates = new ArrayList<>();
        for (NodeRecord n : nodes.live(since)) {
            boolean self = n.name().equals(node.name());
            boolean reachable = n.endpoint() != null && n.publicKey() != null && n.controlUrl() != null;
            if (n.state() == NodeRecord.NodeState.ACTIVE && (self || reachable)) {
                candidates.add(withOpen(n, open.getOrDefault(n.name(), 0)));
            }
        }
        candidates.sort(Comparator.comparingDouble(NodeRecord::headroom)
                .reversed()
                .thenComparing(n -> !n.name().equals(node.name()))
                .thenComparing(NodeRecord::name));
        return candidates;
    }

    private List<Gateway> gatewaysBesides(String current, List<NodeRecord> candidates) {
        List<Gateway> gateways = new ArrayList<>();
        for (NodeRecord n : candidates) {
            if (n.name().equals(current) || gateways.size() == Gateway.MAX_PER_MESSAGE) {
                continue;
            }
            Gateway g = gateway(n);
            if (g != null) {
                gateways.add(g);
            }
        }
        return gateways;
    }

    /**
     * This node as the gateway that carries a tunnel, for a client's control calls: null without a
     * {@code node.control.url} (a single node), so that the client keeps calling where it logged in.
     */
    Gateway self(String endpoint, String publicKey) {
        return gateway(node.name(), endpoint, publicKey, node.controlUrl());
    }

    /** Node {@code n} as a client may use it: null when its row lacks a part or does not make a gateway. */
    static Gateway gateway(NodeRecord n) {
        return gateway(n.name(), n.endpoint(), n.publicKey(), n.controlUrl());
    }

    private static Gateway gateway(String name, String endpoint, String publicKey, String controlUrl) {
        if (endpoint == null || publicKey == null || controlUrl == null) {
            return null;
        }
        try {
            return new Gateway(name, endpoint, publicKey, controlUrl);
        } catch (IllegalArgumentException e) {
            LOG.warn("Node {} is not offered to clients: its row does not make a gateway: {}", name, e.getMessage());
            return null;
        }
    }

    private static NodeRecord withOpen(NodeRecord n, int open) {
        return new NodeRecord(
                n.name(),
                n.endpoint(),
                n.publicKey(),
                n.controlUrl(),
                n.capacity(),
                open,
                n.cpuLoad(),
                n.state(),
                n.startedAt(),
                n.heartbeatAt());
    }

    /** The open sessions whose clients use this node now, as the store counts them. */
    private int servedSessions() {
        return sessions.openByGateway().getOrDefault(node.name(), 0);
    }
}
