package dev.wirehaven.policy.acl.internal.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The policy document that the gateway nodes of a cluster share, in their common database: one row
 * with the text, its SHA-256, a version that grows with each change, and who changed it when. Plain
 * JDBC on the {@code DataSource} the server registers, so that this engine still depends on nothing of
 * ours but the api.
 */
final class PolicyDocuments {

    /**
     * The one table, made by whichever node comes first. {@code CREATE TABLE IF NOT EXISTS} races on
     * PostgreSQL when two nodes start together; the loser tries once more and finds the table.
     */
    static final String CREATE = "CREATE TABLE IF NOT EXISTS acl_policy_document ("
            + " id INTEGER NOT NULL PRIMARY KEY,"
            + " text VARCHAR(1048576) NOT NULL,"
            + " sha256 VARCHAR(64) NOT NULL,"
            + " version BIGINT NOT NULL,"
            + " changed_by VARCHAR(512) NOT NULL,"
            + " changed_at TIMESTAMP WITH TIME ZONE NOT NULL)";

    private static final String SELECT =
            "SELECT text, sha256, version, changed_by, changed_at FROM acl_policy_document WHERE id = 1";
    private static final String UPDATE = "UPDATE acl_policy_document SET text = ?, sha256 = ?,"
            + " version = version + 1, changed_by = ?, changed_at = ? WHERE id = 1 AND sha256 <> ?";
    private static final String INSERT = "INSERT INTO acl_policy_document"
            + " (id, text, sha256, version, changed_by, changed_at) VALUES (1, ?, ?, 1, ?, ?)";

    /**
     * The shared document.
     *
     * @param text the policy file's text
     * @param sha256 its SHA-256 (of the UTF-8 bytes) in hex, as {@link PolicyFile} computes it
     * @param version 1 for the first, then one more for each change
     * @param changedBy the node and file it came from
     * @param changedAt when it was published
     */
    record Document(String text, String sha256, long version, String changedBy, Instant changedAt) {}

    private final DataSource store;

    PolicyDocuments(DataSource store) {
        this.store = store;
    }

    /** Makes the table when it is not there. */
    void create() throws SQLException {
        try (Connection c = store.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE);
            } catch (SQLException raced) {
                try (Statement s = c.createStatement()) {
                    s.execute(CREATE);
                }
            }
        }
    }

    Optional<Document> read() throws SQLException {
        try (Connection c = store.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Document(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getTimestamp(5).toInstant()));
        }
    }

    /**
     * Makes {@code text} the shared document unless it is already; returns the document as it is after.
     */
    Document publish(String text, String sha256, String by, Instant at) throws SQLException {
        try (Connection c = store.getConnection()) {
            if (update(c, text, sha256, by, at) == 0 && read().isEmpty()) {
                try {
                    insert(c, text, sha256, by, at);
                } catch (SQLException raced) {
                    // another node inserted the first document at the same moment: change it as any other
                    update(c, text, sha256, by, at);
                }
            }
        }
        return read().orElseThrow(() -> new SQLException("the policy document vanished after it was written"));
    }

    private static int update(Connection c, String text, String sha256, String by, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setString(1, text);
            ps.setString(2, sha256);
            ps.setString(3, by);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setString(5, sha256);
            return ps.executeUpdate();
        }
    }

    private static void insert(Connection c, String text, String sha256, String by, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, text);
            ps.setString(2, sha256);
            ps.setString(3, by);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
        }
    }
}
