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
 * The {@code event_log} table: appended to, read newest first, and trimmed by age (the reaper keeps
 * {@code eventlog.retention}). Entries are
 * never updated: the log is a record of what happened.
 */
public final class EventLogRepository {

    private static final String COLUMNS = "occurred_at, kind, severity, user_name, session_id, source_address, detail";
    private static final String INSERT = "INSERT INTO event_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_RECENT = "SELECT id, " + COLUMNS + " FROM event_log ORDER BY id DESC LIMIT ?";
    private static final String SELECT_SESSION =
            "SELECT id, " + COLUMNS + " FROM event_log WHERE session_id = ? ORDER BY id";
    private static final String DELETE_BEFORE = "DELETE FROM event_log WHERE occurred_at < ?";
    private static final String DELETE_BEFORE_BATCH = "DELETE FROM event_log WHERE id IN (SELECT id FROM event_log"
            + " WHERE occurred_at < ? ORDER BY id LIMIT ?)";

    private final DataSource dataSource;

    public EventLogRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the entry and returns it with its sequence number. */
    public EventEntry append(EventEntry entry) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"id"})) {
            Timestamps.set(ps, 1, entry.occurredAt());
            ps.setString(2, entry.kind());
            ps.setString(3, entry.severity());
            ps.setString(4, entry.user());
            ps.setString(5, entry.sessionId());
            ps.setString(6, entry.source());
            ps.setString(7, entry.detail());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("The store returned no id for the event " + entry.kind());
                }
                return new EventEntry(
                        keys.getLong(1),
                        entry.occurredAt(),
                        entry.kind(),
                        entry.severity(),
                        entry.user(),
                        entry.sessionId(),
                        entry.source(),
                        entry.detail());
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot append the event " + entry.kind() + " to the event log", e);
        }
    }

    /** The latest entries, newest first. */
    public List<EventEntry> recent(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_RECENT)) {
            ps.setInt(1, limit);
            return readAll(ps);
        } catch (SQLException e) {
            throw new StoreException("Cannot read the event log", e);
        }
    }

    /** Every entry of one session, in the order they happened. */
    public List<EventEntry> ofSession(String sessionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_SESSION)) {
            ps.setString(1, sessionId);
            return readAll(ps);
        } catch (SQLException e) {
            throw new StoreException("Cannot read the event log of session " + sessionId, e);
        }
    }

    /** Deletes the entries older than {@code cutoff}; returns how many went. */
    public int deleteBefore(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_BEFORE)) {
            Timestamps.set(ps, 1, cutoff);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot trim the event log", e);
        }
    }

    /**
     * Deletes at most {@code limit} of the entries older than {@code cutoff}, the oldest first, in one
     * short statement, so that trimming a large log never holds the table for long; the caller repeats
     * while it returns {@code limit}.
     */
    public int deleteBefore(Instant cutoff, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE_BEFORE_BATCH)) {
            Timestamps.set(ps, 1, cutoff);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot trim the event log", e);
        }
    }

    private static List<EventEntry> readAll(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<EventEntry> entries = new ArrayList<>();
            while (rs.next()) {
                entries.add(new EventEntry(
                        rs.getLong("id"),
                        Timestamps.read(rs, "occurred_at"),
                        rs.getString("kind"),
                        rs.getString("severity"),
                        rs.getString("user_name"),
                        rs.getString("session_id"),
                        rs.getString("source_address"),
                        rs.getString("detail")));
            }
            return entries;
        }
    }
}
