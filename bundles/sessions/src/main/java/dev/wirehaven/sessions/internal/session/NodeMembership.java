package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.sessions.internal.store.NodeRecord;
import dev.wirehaven.sessions.internal.store.NodeRepository;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node among the gateway nodes of its store: its heartbeat row (where clients reach it, its key,
 * how loaded it is), written every {@link #HEARTBEAT}, and what it reads of the others: the live
 * nodes that a client may move to when this one fails.
 */
final class NodeMembership {

    /** How often a node writes its row. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** A node whose last heartbeat is older than this is taken for gone. */
    static final Duration ALIVE = Duration.ofSeconds(5);
    /** A session counts as served here while its peer's last handshake here is this recent (a rekey is due every 2 min). */
    static final Duration SERVED = Duration.ofMinutes(3);

    private static final Logger LOG = LoggerFactory.getLogger(NodeMembership.class);

    private final NodeSettings node;
    private final NodeRepository nodes;
    private final PeerTable table;
    private final Supplier<SessionSettings> settings;
    private final DoubleSupplier cpuLoad;
    private final Clock clock;
    private final Instant startedAt;
    private volatile NodeRecord.NodeState state = NodeRecord.NodeState.ACTIVE;
    private volatile boolean warnedNoEndpoint;

    NodeMembership(
            NodeSettings node,
            NodeRepository nodes,
            PeerTable table,
            Supplier<SessionSettings> settings,
            DoubleSupplier cpuLoad,
            Clock clock) {
        this.node = node;
        this.nodes = nodes;
        this.table = table;
        this.settings = settings;
        this.cpuLoad = cpuLoad;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    String name() {
        return node.name();
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
        nodes.beat(new NodeRecord(
                node.name(),
                endpointText,
                table.publicKey(),
                node.controlUrl(),
                node.capacity(),
                servedSessions(),
                load >= 0 && Double.isFinite(load) ? Math.min(1.0, load) : 0.0,
                state,
                startedAt,
                clock.instant()));
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
     * The other live nodes that clients can reach, most headroom first: the gateways a client may move
     * to without a new login, since each of them holds every session's peer.
     */
    List<Gateway> alternatives() {
        Instant since = clock.instant().minus(ALIVE);
        List<NodeRecord> others = new ArrayList<>();
        for (NodeRecord n : nodes.live(since)) {
            if (!n.name().equals(node.name())
                    && n.endpoint() != null
                    && n.publicKey() != null
                    && n.controlUrl() != null
                    && n.state() == NodeRecord.NodeState.ACTIVE) {
                others.add(n);
            }
        }
        others.sort(Comparator.comparingDouble(NodeRecord::headroom).reversed().thenComparing(NodeRecord::name));
        List<Gateway> gateways = new ArrayList<>();
        for (NodeRecord n : others) {
            try {
                gateways.add(new Gateway(n.name(), n.endpoint(), n.publicKey(), n.controlUrl()));
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "Node {} is not offered to clients: its row does not make a gateway: {}",
                        n.name(),
                        e.getMessage());
            }
        }
        return gateways;
    }

    /** The sessions whose clients use this node now: their peers had a handshake here lately. */
    private int servedSessions() {
        long recent = clock.instant().minus(SERVED).toEpochMilli() * 1_000_000L;
        int served = 0;
        for (PeerSnapshot p : table.recent().values()) {
            if (p.owner() != null && p.lastHandshakeEpochNanos() > recent) {
                served++;
            }
        }
        return served;
    }
}
