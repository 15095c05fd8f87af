package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code sessions} table. A change is saved with the phase the caller read
 * ({@link #save(SessionRecord, SessionPhase)}), so that a step that raced with another (a second
 * node, the reaper) loses instead of moving a session back. The policy version columns are written
 * only by their own statements: a bump for all sessions must not be undone by a step that saves a
 * session it read just before.
 */
public final class SessionRepository {

    private static final String MUTABLE =
            "phase = ?, expires_at = ?, token_hash = ?, user_name = ?, identity_json = ?, "
                    + "challenge_methods = ?, completed_methods = ?, authenticated_at = ?, preshared_key = ?, address_v4 = ?, "
                    + "pool_v4 = ?, address_v6 = ?, pool_v6 = ?, advertised_subnets = ?, configured_at = ?, "
                    + "last_handshake_at = ?, closed_at = ?, close_reason = ?, node = ?";
    private static final String COLUMNS = "id, client_public_key, device_name, source_address, requested_address, "
            + "created_at, policy_version, policy_acked_version, phase, expires_at, token_hash, user_name, identity_json, "
            + "challenge_methods, completed_methods, authenticated_at, preshared_key, address_v4, pool_v4, address_v6, "
            + "pool_v6, advertised_subnets, configured_at, last_handshake_at, closed_at, close_reason";
    private static final String INSERT = "INSERT INTO sessions (" + COLUMNS + ", node, source_key) VALUES ("
            + String.join(", ", java.util.Collections.nCopies(28, "?")) + ")";
    private static final String UPDATE = "UPDATE sessions SET " + MUTABLE + " WHERE id = ? AND phase = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM sessions";
    private static final String ORDER = " ORDER BY created_at, id";
    private static final String BUMP_POLICY =
            "UPDATE sessions SET policy_version = policy_version + 1 WHERE closed_at IS NULL";
    private static final String ACK_POLICY = "UPDATE sessions SET policy_acked_version = ? "
            + "WHERE id = ? AND policy_acked_version < ? AND policy_version >= ?";
    private static final String DELETE_CLOSED = "DELETE FROM sessions WHERE closed_at IS NOT NULL AND closed_at < ?";
    private static final String DELETE_CLOSED_BATCH = "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
            + " WHERE closed_at IS NOT NULL AND closed_at < ? ORDER BY closed_at LIMIT ?)";
    /** Open, not authenticated, and its challenge still running: what a connection request adds to. */
    private static final String PENDING =
            "SELECT COUNT(*) AS pending, MIN(expires_at) AS first_lapse FROM sessions WHERE closed_at IS NULL"
                    + " AND phase IN ('REQUESTED', 'CHALLENGED') AND expires_at > ?";

    private static final String PENDING_FROM = PENDING + " AND source_key = ?";

    private static final String TOUCHED_ELSEWHERE =
            "SELECT id FROM sessions WHERE closed_at IS NULL AND node IS NOT NULL AND node <> ?";

    private final DataSource dataSource;
    /** The node that this repository writes as the one that took a session's last step, or null. */
    private final String node;

    /** A repository of a server that is the only node of its database. */
    public SessionRepository(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * @param node the gateway node that this server is: every insert and save records it as the
     *        session's last node
     */
    public SessionRepository(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    /** Stores a new session. */
    public void insert(SessionRecord s) {
        insert(s, null);
    }

    /**
     * Stores a new session with the source that its connection request is counted under.
     *
     * @param sourceKey the source (an IPv4 address, an IPv6 /64), or null for none
     */
    public void insert(SessionRecord s, String sourceKey) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, s.id());
            ps.setString(2, s.clientPublicKey());
            ps.setString(3, s.deviceName());
            ps.setString(4, s.sourceAddress());
            ps.setString(5, s.requestedAddress());
            Timestamps.set(ps, 6, s.createdAt());
            ps.setLong(7, s.policyVersion());
            ps.setLong(8, s.policyAckedVersion());
            int next = setMutable(ps, 9, s);
            ps.setString(next, node);
            ps.setString(next + 1, sourceKey);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot record the new session " + s.id(), e);
        }
    }

    /**
     * Saves a step of the session.
     *
     * @param expected the phase the caller read the session in
     * @return false when the session is no longer in that phase (nothing was changed)
     */
    public boolean save(SessionRecord s, SessionPhase expected) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int next = setMutable(ps, 1, s);
            ps.setString(next, node);
            ps.setString(next + 1, s.id());
            ps.setString(next + 2, expected.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot save session " + s.id(), e);
        }
    }

    /**
     * The open sessions whose last step another node took: a node that restarts leaves their
     * half-done setups to that node (or to the reaper's setup timeout) instead of ending them.
     */
    public java.util.Set<String> lastTouchedElsewhere(String self) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(TOUCHED_ELSEWHERE)) {
            ps.setString(1, self);
            try (ResultSet rs = ps.executeQuery()) {
                java.util.Set<String> ids = new java.util.HashSet<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read which node took the sessions' last steps", e);
        }
    }

    /** Records {@code gateway} as the node whose endpoint the session's client uses now. */
    public void assignGateway(String id, String gateway) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE sessions SET gateway = ? WHERE id = ? AND closed_at IS NULL")) {
            ps.setString(1, gateway);
            ps.setString(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot record the gateway of session " + id, e);
        }
    }

    /**
     * Records this repository's node as the session's gateway: the client's handshake reached it (a
     * failover or a drain moved the client here). Nothing for a repository without a node.
     */
    public void servedHere(String id) {
        if (node != null) {
            assignGateway(id, node);
        }
    }

    /** The node whose endpoint the session's client uses, if one was recorded. */
    public Optional<String> gatewayOf(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT gateway FROM sessions WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the gateway of session " + id, e);
        }
    }

    /** The open sessions of each gateway node, by node name (nodes without any are absent). */
    public java.util.Map<String, Integer> openByGateway() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT gateway, COUNT(*) FROM sessions"
                        + " WHERE closed_at IS NULL AND gateway IS NOT NULL GROUP BY gateway");
                ResultSet rs = ps.executeQuery()) {
            java.util.Map<String, Integer> counts = new java.util.HashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new StoreException("Cannot count the sessions of each gateway node", e);
        }
    }

    public Optional<SessionRecord> find(String id) {
        List<SessionRecord> found = query(SELECT + " WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The sessions that have not ended, oldest first. */
    public List<SessionRecord> open() {
        return query(SELECT + " WHERE closed_at IS NULL" + ORDER);
    }

    /** The open sessions of a client key, oldest first. */
    public List<SessionRecord> openWithKey(String clientPublicKey) {
        return query(SELECT + " WHERE closed_at IS NULL AND client_public_key = ?" + ORDER, clientPublicKey);
    }

    /** The open sessions of a user, oldest first. */
    public List<SessionRecord> openOf(String user) {
        return query(SELECT + " WHERE closed_at IS NULL AND user_name = ?" + ORDER, user);
    }

    /** A new policy version for every open session; returns how many there are. */
    public int bumpPolicyVersions() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(BUMP_POLICY)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot raise the sessions' policy version", e);
        }
    }

    /**
     * Records that the client applied {@code version}.
     *
     * @return false when a newer one was acknowledged already or the version was never issued
     */
    public boolean acknowledgePolicy(String id, long version) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ACK_POLICY)) {
            ps.setLong(1, version);
            ps.setString(2, id);
            ps.setLong(3, version);
            ps.setLong(4, version);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot record the policy acknowledgement of session " + id, e);
        }
    }

    /** Forgets the sessions that ended before {@code cutoff} (their steps stay in the event log). */
    public int deleteClosedBefore(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_CLOSED)) {
            Timestamps.set(ps, 1, cutoff);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete ended sessions", e);
        }
    }

    /**
     * The open sessions that wait for authentication and whose challenge has not lapsed at {@code now}
     * (a lapsed one no longer takes a place, though the reaper may not have closed it yet).
     */
    public Pending pending(Instant now) {
        return pending(PENDING, now, null);
    }

    /** The same as {@link #pending(Instant)}, of the connection requests counted under {@code sourceKey}. */
    public Pending pendingFrom(String sourceKey, Instant now) {
        return pending(PENDING_FROM, now, sourceKey);
    }

    /**
     * Sessions waiting for authentication.
     *
     * @param count how many
     * @param firstLapse when the first of their challenges lapses, or null when there are none
     */
    public record Pending(int count, Instant firstLapse) {}

    /**
     * Forgets at most {@code limit} of the sessions that ended before {@code cutoff}, the oldest first,
     * in one short statement; the caller repeats while it returns {@code limit}.
     */
    public int deleteClosedBefore(Instant cutoff, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_CLOSED_BATCH)) {
            Timestamps.set(ps, 1, cutoff);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete ended sessions", e);
        }
    }

    private Pending pending(String sql, Instant now, String sourceKey) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamps.set(ps, 1, now);
            if (sourceKey != null) {
                ps.setString(2, sourceKey);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int count = rs.getInt("pending");
                return new Pending(count, count == 0 ? null : Timestamps.read(rs, "first_lapse"));
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot count the sessions waiting for authentication", e);
        }
    }

    private List<SessionRecord> query(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<SessionRecord> sessions = new ArrayList<>();
                while (rs.next()) {
                    sessions.add(read(rs));
                }
                return sessions;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read sessions", e);
        }
    }

    /** Sets the columns of {@link #MUTABLE} from {@code index} on; returns the next index. */
    private static int setMutable(PreparedStatement ps, int index, SessionRecord s) throws SQLException {
        int i = index;
        ps.setString(i++, s.phase().name());
        Timestamps.set(ps, i++, s.expiresAt());
        ps.setString(i++, s.tokenHash());
        ps.setString(i++, s.user());
        ps.setString(i++, IdentityJson.write(s.identity()));
        ps.setString(i++, join(s.challengeMethods()));
        ps.setString(i++, join(s.completedMethods()));
        Timestamps.set(ps, i++, s.authenticatedAt());
        ps.setString(i++, s.presharedKey());
        ps.setString(i++, s.addresses().v4());
        ps.setString(i++, s.addresses().poolV4());
        ps.setString(i++, s.addresses().v6());
        ps.setString(i++, s.addresses().poolV6());
        ps.setString(i++, join(s.advertisedSubnets()));
        Timestamps.set(ps, i++, s.configuredAt());
        Timestamps.set(ps, i++, s.lastHandshakeAt());
        Timestamps.set(ps, i++, s.closedAt());
        ps.setString(i++, s.closeReason());
        return i;
    }

    private static SessionRecord read(ResultSet rs) throws SQLException {
        return new SessionRecord(
                rs.getString("id"),
                SessionPhase.valueOf(rs.getString("phase")),
                rs.getString("client_public_key"),
                rs.getString("device_name"),
                rs.getString("source_address"),
                rs.getString("requested_address"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "expires_at"),
                rs.getString("token_hash"),
                IdentityJson.read(rs.getString("identity_json")),
                split(rs.getString("challenge_methods")),
                split(rs.getString("completed_methods")),
                Timestamps.read(rs, "authenticated_at"),
                rs.getString("preshared_key"),
                new TunnelAddresses(
                        rs.getString("address_v4"),
                        rs.getString("pool_v4"),
                        rs.getString("address_v6"),
                        rs.getString("pool_v6")),
                split(rs.getString("advertised_subnets")),
                Timestamps.read(rs, "configured_at"),
                Timestamps.read(rs, "last_handshake_at"),
                rs.getLong("policy_version"),
                rs.getLong("policy_acked_version"),
                Timestamps.read(rs, "closed_at"),
                rs.getString("close_reason"));
    }

    // method names and prefixes never contain a comma, so a comma-separated column is unambiguous
    static String join(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    static List<String> split(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }
}
