package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code cluster_changes} log that the gateway nodes of one database share. A node appends what it
 * changed; on PostgreSQL the same transaction sends a {@code NOTIFY} on {@value #CHANNEL}, so that the
 * other nodes read the log at once instead of at their next poll. The row is the change, the
 * notification only a wake-up: a node that was not listening (restarting, reconnecting) still finds
 * every row.
 */
public final class ChangeRepository {

    /** The PostgreSQL notification channel that announces new rows. */
    public static final String CHANNEL = "wirehaven_changes";

    private static final String INSERT =
            "INSERT INTO cluster_changes (node, kind, session_id, public_key, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";
    private static final String SELECT_AFTER =
            "SELECT id, node, kind, session_id, public_key FROM cluster_changes" + " WHERE id > ? ORDER BY id LIMIT ?";
    private static final String LATEST = "SELECT MAX(id) FROM cluster_changes";
    private static final String DELETE_BEFORE = "DELETE FROM cluster_changes WHERE id IN (SELECT id FROM"
            + " cluster_changes WHERE created_at < ? ORDER BY id LIMIT ?)";

    private final DataSource dataSource;
    private volatile Boolean postgres;

    public ChangeRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends a change and, on PostgreSQL, wakes the other nodes when it commits. */
    public void append(String node, ClusterChange.Kind kind, String sessionId, String publicKey, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setString(1, node);
                insert.setString(2, kind.name());
                insert.setString(3, sessionId);
                insert.setString(4, publicKey);
                Timestamps.set(insert, 5, at);
                insert.executeUpdate();
                if (isPostgres(c)) {
                    try (PreparedStatement notify = c.prepareStatement(NOTIFY)) {
                        notify.setString(1, node);
                        notify.execute();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot record a " + kind + " change for the other nodes", e);
        }
    }

    /** Up to {@code limit} changes with an id above {@code cursor}, in id order. */
    public List<ClusterChange> after(long cursor, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_AFTER)) {
            ps.setLong(1, cursor);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<ClusterChange> changes = new ArrayList<>();
                while (rs.next()) {
                    changes.add(new ClusterChange(
                            rs.getLong("id"),
                            rs.getString("node"),
                            ClusterChange.Kind.valueOf(rs.getString("kind")),
                            rs.getString("session_id"),
                            rs.getString("public_key")));
                }
                return changes;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the other nodes' changes", e);
        }
    }

    /** The newest change's id, or 0 when the log is empty. */
    public long latestId() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(LATEST)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the change log's position", e);
        }
    }

    /** Deletes up to {@code limit} changes made before {@code cutoff}; returns how many. */
    public int deleteBefore(Instant cutoff, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_BEFORE)) {
            Timestamps.set(ps, 1, cutoff);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete old cluster changes", e);
        }
    }

    private boolean isPostgres(Connection c) throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            known = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
            postgres = known;
        }
        return known;
    }
}
