package dev.wirehaven.responses.internal;

import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code responses} table: one row per response, written when it is recorded and rewritten when
 * it is extended or ends. Texts longer than their columns are cut rather than refused, so that a long
 * reason from a detector never costs the record of the response.
 */
final class ResponseStore {

    private static final String INSERT = "INSERT INTO responses"
            + " (id, action, target, reason, requested_by, started, expires, state, note)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE responses SET expires = ?, state = ?, note = ? WHERE id = ?";
    private static final String COLUMNS = "id, action, target, reason, requested_by, started, expires, state, note";
    private static final String SELECT_ACTIVE =
            "SELECT " + COLUMNS + " FROM responses WHERE state = 'ACTIVE' ORDER BY started, id";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM responses WHERE id = ?";
    private static final String SELECT_ENDED =
            "SELECT " + COLUMNS + " FROM responses WHERE state <> 'ACTIVE' ORDER BY started DESC, id DESC LIMIT ?";
    private static final String DELETE_OLD_ENDED = "DELETE FROM responses WHERE state <> 'ACTIVE' AND id NOT IN"
            + " (SELECT id FROM responses WHERE state <> 'ACTIVE' ORDER BY started DESC, id DESC LIMIT ?)";

    private final DataSource dataSource;

    ResponseStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insert(SecurityResponse r) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, r.id());
            ps.setString(2, r.action().name());
            ps.setString(3, Text.cut(r.target(), 512));
            ps.setString(4, Text.cut(r.reason(), 2000));
            ps.setString(5, Text.cut(r.requestedBy(), 256));
            Timestamps.set(ps, 6, r.started());
            Timestamps.set(ps, 7, r.expires());
            ps.setString(8, r.state().name());
            ps.setString(9, Text.cut(r.note(), 2000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording response " + r.id(), e);
        }
    }

    /** Rewrites what may change of a response: its end, its state and its note. */
    void update(SecurityResponse r) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(UPDATE)) {
            Timestamps.set(ps, 1, r.expires());
            ps.setString(2, r.state().name());
            ps.setString(3, Text.cut(r.note(), 2000));
            ps.setString(4, r.id());
            if (ps.executeUpdate() == 0) {
                // recorded while the store was failing: write it whole now
                insert(r);
            }
        } catch (SQLException e) {
            throw new StoreException("updating response " + r.id(), e);
        }
    }

    /** The responses in force, oldest first. */
    List<SecurityResponse> active() {
        return query(SELECT_ACTIVE, -1);
    }

    /** The responses of {@code ids} that the store has, in any state (one query each: there are few). */
    List<SecurityResponse> find(Collection<String> ids) {
        List<SecurityResponse> found = new ArrayList<>();
        for (String id : ids) {
            found.addAll(query(SELECT_ONE, ps -> ps.setString(1, id)));
        }
        return found;
    }

    /** The latest {@code limit} responses that are not in force, oldest first. */
    List<SecurityResponse> latestEnded(int limit) {
        List<SecurityResponse> newestFirst = new ArrayList<>(query(SELECT_ENDED, limit));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * Deletes the responses that are not in force, but the latest {@code keep} of them.
     *
     * @return how many rows were deleted
     */
    int trimEnded(int keep) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_OLD_ENDED)) {
            ps.setInt(1, keep);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("deleting old responses", e);
        }
    }

    private List<SecurityResponse> query(String sql, int limit) {
        return query(sql, ps -> {
            if (limit >= 0) {
                ps.setInt(1, limit);
            }
        });
    }

    /** What a query's statement needs set before it runs. */
    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    private List<SecurityResponse> query(String sql, Parameters parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            parameters.set(ps);
            List<SecurityResponse> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new SecurityResponse(
                            rs.getString("id"),
                            ResponseAction.valueOf(rs.getString("action")),
                            rs.getString("target"),
                            rs.getString("reason"),
                            rs.getString("requested_by"),
                            Timestamps.read(rs, "started"),
                            Timestamps.read(rs, "expires"),
                            SecurityResponse.State.valueOf(rs.getString("state")),
                            rs.getString("note")));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreException("reading the responses", e);
        }
    }
}
