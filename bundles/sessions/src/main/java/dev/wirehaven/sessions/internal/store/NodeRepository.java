package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code gateway_nodes} table: each node's own row, rewritten at every heartbeat, and what a node
 * reads of the others (who is alive, where clients reach them, how loaded they are).
 */
public final class NodeRepository {

    private static final String COLUMNS = "name, endpoint, public_key, control_url, capacity, open_sessions, "
            + "cpu_load, state, started_at, heartbeat_at";
    private static final String UPDATE = "UPDATE gateway_nodes SET endpoint = ?, public_key = ?, control_url = ?, "
            + "capacity = ?, open_sessions = ?, cpu_load = ?, state = ?, started_at = ?, heartbeat_at = ? WHERE name = ?";
    private static final String INSERT =
            "INSERT INTO gateway_nodes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_LIVE =
            "SELECT " + COLUMNS + " FROM gateway_nodes WHERE heartbeat_at >= ? ORDER BY name";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM gateway_nodes ORDER BY name";
    private static final String DELETE = "DELETE FROM gateway_nodes WHERE name = ?";

    private final DataSource dataSource;

    public NodeRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes the node's row: an update, or the first insert. Two nodes that were given the same name
     * write the same row; {@link dev.wirehaven.sessions.internal.cluster.NodeSettings} says why a name
     * must be unique.
     */
    public void beat(NodeRecord n) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement update = c.prepareStatement(UPDATE)) {
                int i = set(update, 1, n);
                update.setString(i, n.name());
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, n.name());
                set(insert, 2, n);
                insert.executeUpdate();
            } catch (SQLException raced) {
                // another start of the same name inserted first: its row is ours to update
                try (PreparedStatement update = c.prepareStatement(UPDATE)) {
                    int i = set(update, 1, n);
                    update.setString(i, n.name());
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot record the heartbeat of node " + n.name(), e);
        }
    }

    /** The nodes whose last heartbeat is at or after {@code since}, by name. */
    public List<NodeRecord> live(Instant since) {
        return query(SELECT_LIVE, since);
    }

    /** Every node that ever beat and was not removed, by name. */
    public List<NodeRecord> all() {
        return query(SELECT_ALL, null);
    }

    /** Forgets a node (an operator removed it for good). */
    public boolean remove(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot remove node " + name, e);
        }
    }

    private List<NodeRecord> query(String sql, Instant since) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (since != null) {
                Timestamps.set(ps, 1, since);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<NodeRecord> nodes = new ArrayList<>();
                while (rs.next()) {
                    nodes.add(new NodeRecord(
                            rs.getString("name"),
                            rs.getString("endpoint"),
                            rs.getString("public_key"),
                            rs.getString("control_url"),
                            rs.getInt("capacity"),
                            rs.getInt("open_sessions"),
                            rs.getDouble("cpu_load"),
                            NodeRecord.NodeState.valueOf(rs.getString("state")),
                            Timestamps.read(rs, "started_at"),
                            Timestamps.read(rs, "heartbeat_at")));
                }
                return nodes;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the gateway nodes", e);
        }
    }

    /** Sets every column but the name from {@code index} on; returns the next index. */
    private static int set(PreparedStatement ps, int index, NodeRecord n) throws SQLException {
        int i = index;
        ps.setString(i++, n.endpoint());
        ps.setString(i++, n.publicKey());
        ps.setString(i++, n.controlUrl());
        ps.setInt(i++, n.capacity());
        ps.setInt(i++, n.openSessions());
        ps.setDouble(i++, n.cpuLoad());
        ps.setString(i++, n.state().name());
        Timestamps.set(ps, i++, n.startedAt());
        Timestamps.set(ps, i++, n.heartbeatAt());
        return i;
    }
}
