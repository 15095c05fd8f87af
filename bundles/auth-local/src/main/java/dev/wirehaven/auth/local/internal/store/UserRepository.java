package dev.wirehaven.auth.local.internal.store;

import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code users} table: the local users that the {@code password} auth method checks. Names are
 * compared exactly (case-sensitive) on both stores, since neither H2 nor PostgreSQL folds case in a
 * {@code VARCHAR} comparison. Each change is one statement, and its result says whether the user
 * was there, so that a caller never reads first and then writes what it believed.
 */
public final class UserRepository {

    /** SQLState for a unique or primary key violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String COLUMNS = "name, password_hash, disabled, created_at, updated_at";
    private static final String INSERT = "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM users WHERE name = ?";
    /** Sorted here, not by ORDER BY: a database's collation (en_US on many PostgreSQL installs) would fold case. */
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM users";

    private static final String SET_DISABLED = "UPDATE users SET disabled = ?, updated_at = ? WHERE name = ?";
    private static final String SET_HASH = "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?";
    private static final String DELETE = "DELETE FROM users WHERE name = ?";

    private final DataSource dataSource;

    public UserRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a new user.
     *
     * @return false when a user of that name exists already; nothing was changed then
     */
    public boolean add(User user) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, user.name());
            ps.setString(2, user.passwordHash());
            ps.setBoolean(3, user.disabled());
            Timestamps.set(ps, 4, user.createdAt());
            Timestamps.set(ps, 5, user.updatedAt());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new StoreException("Cannot add the user " + user.name(), e);
        }
    }

    /** The user of exactly that name. */
    public Optional<User> find(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the user " + name, e);
        }
    }

    /** Every user, ordered by name. */
    public List<User> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_ALL);
                ResultSet rs = ps.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(read(rs));
            }
            users.sort(Comparator.comparing(User::name));
            return users;
        } catch (SQLException e) {
            throw new StoreException("Cannot list the users", e);
        }
    }

    /**
     * Disables or enables the user.
     *
     * @return false when there is no such user
     */
    public boolean setDisabled(String name, boolean disabled, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SET_DISABLED)) {
            ps.setBoolean(1, disabled);
            Timestamps.set(ps, 2, now);
            ps.setString(3, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot " + (disabled ? "disable" : "enable") + " the user " + name, e);
        }
    }

    /**
     * Replaces the user's password hash.
     *
     * @return false when there is no such user
     */
    public boolean setPasswordHash(String name, String passwordHash, Instant now) {
        if (passwordHash.isEmpty() || passwordHash.length() > User.MAX_HASH_LENGTH) {
            throw new IllegalArgumentException("a password hash must have 1.." + User.MAX_HASH_LENGTH + " characters");
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SET_HASH)) {
            ps.setString(1, passwordHash);
            Timestamps.set(ps, 2, now);
            ps.setString(3, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot set the password of the user " + name, e);
        }
    }

    /**
     * Deletes the user.
     *
     * @return false when there is no such user
     */
    public boolean remove(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot remove the user " + name, e);
        }
    }

    private static User read(ResultSet rs) throws SQLException {
        return new User(
                rs.getString("name"),
                rs.getString("password_hash"),
                rs.getBoolean("disabled"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
