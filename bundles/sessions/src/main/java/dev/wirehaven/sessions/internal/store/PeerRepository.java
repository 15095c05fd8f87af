package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code peers} table: one row per client key on the device. A key belongs to at most one
 * session; a newer session of the same key takes the row over.
 */
public final class PeerRepository {

    private static final String COLUMNS =
            "public_key, session_id, preshared_key, allowed_ips, keepalive_seconds, created_at";
    private static final String DELETE_KEY = "DELETE FROM peers WHERE public_key = ?";
    private static final String INSERT = "INSERT INTO peers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM peers";
    private static final String DELETE_SESSION = "DELETE FROM peers WHERE session_id = ?";

    private final DataSource dataSource;

    public PeerRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the peer, replacing whatever row its key had, in one transaction. */
    public void put(PeerRecord peer) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(DELETE_KEY);
                    PreparedStatement insert = c.prepareStatement(INSERT)) {
                delete.setString(1, peer.publicKey());
                delete.executeUpdate();
                insert.setString(1, peer.publicKey());
                insert.setString(2, peer.sessionId());
                insert.setString(3, peer.presharedKey());
                insert.setString(4, String.join(",", peer.allowedIps()));
                insert.setInt(5, peer.keepaliveSeconds());
                Timestamps.set(insert, 6, peer.createdAt());
                insert.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot record the peer of session " + peer.sessionId(), e);
        }
    }

    /** The peer of a session, if it has one on the device. */
    public Optional<PeerRecord> ofSession(String sessionId) {
        List<PeerRecord> found = query(SELECT + " WHERE session_id = ?", sessionId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every peer, oldest first. */
    public List<PeerRecord> all() {
        return query(SELECT + " ORDER BY created_at");
    }

    /** Removes the session's peer row; returns whether there was one. */
    public boolean removeOfSession(String sessionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_SESSION)) {
            ps.setString(1, sessionId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("Cannot remove the peer of session " + sessionId, e);
        }
    }

    private List<PeerRecord> query(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<PeerRecord> peers = new ArrayList<>();
                while (rs.next()) {
                    peers.add(new PeerRecord(
                            rs.getString("public_key"),
                            rs.getString("session_id"),
                            rs.getString("preshared_key"),
                            SessionRepository.split(rs.getString("allowed_ips")),
                            rs.getInt("keepalive_seconds"),
                            Timestamps.read(rs, "created_at")));
                }
                return peers;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the peers", e);
        }
    }
}
