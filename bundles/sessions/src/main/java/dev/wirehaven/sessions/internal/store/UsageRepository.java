package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The accounting columns of the {@code sessions} table: a session's final device counters, saved
 * when it ends, and read back for per-user totals. Ended sessions are kept as long as
 * {@code session.retention}, and so is their usage.
 */
public final class UsageRepository {

    private static final String RECORD =
            "UPDATE sessions SET rx_bytes = ?, tx_bytes = ?, rx_packets = ?, tx_packets = ? WHERE id = ?";
    private static final String ENDED = "SELECT user_name, configured_at, closed_at, rx_bytes, tx_bytes, rx_packets,"
            + " tx_packets FROM sessions WHERE closed_at IS NOT NULL AND user_name IS NOT NULL"
            + " AND configured_at IS NOT NULL AND rx_bytes IS NOT NULL";

    private final DataSource dataSource;

    public UsageRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Saves the final counters of session {@code id}. */
    public void record(String id, long rxBytes, long txBytes, long rxPackets, long txPackets) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RECORD)) {
            ps.setLong(1, rxBytes);
            ps.setLong(2, txBytes);
            ps.setLong(3, rxPackets);
            ps.setLong(4, txPackets);
            ps.setString(5, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot save the usage of session " + id, e);
        }
    }

    /** The usage of every ended session that had a peer and a user. */
    public List<SessionUsage> ended() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ENDED);
                ResultSet rs = ps.executeQuery()) {
            List<SessionUsage> all = new ArrayList<>();
            while (rs.next()) {
                all.add(new SessionUsage(
                        rs.getString("user_name"),
                        Timestamps.read(rs, "configured_at"),
                        Timestamps.read(rs, "closed_at"),
                        rs.getLong("rx_bytes"),
                        rs.getLong("tx_bytes"),
                        rs.getLong("rx_packets"),
                        rs.getLong("tx_packets")));
            }
            return all;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the sessions' usage", e);
        }
    }
}
