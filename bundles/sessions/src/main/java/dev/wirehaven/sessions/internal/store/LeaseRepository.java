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
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code address_leases} table. Every change is one statement whose WHERE clause states what
 * the caller believed (the address is free, or released and held by that device), so that two
 * servers or two pools over the same database cannot both win: the loser sees {@code false} and
 * looks again. The table's keys do the same for inserts.
 */
public final class LeaseRepository {

    /** SQLState for a unique or primary key violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String COLUMNS = "pool, address, user_name, device_name, session_id, leased_at, released_at";
    private static final String SELECT_POOL =
            "SELECT " + COLUMNS + " FROM address_leases WHERE pool = ? ORDER BY leased_at";
    private static final String SELECT_HOLDER =
            "SELECT " + COLUMNS + " FROM address_leases WHERE pool = ? AND user_name = ? AND device_name = ?";
    private static final String INSERT = "INSERT INTO address_leases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL)";
    private static final String RENEW = "UPDATE address_leases SET session_id = ?, leased_at = ?, released_at = NULL "
            + "WHERE pool = ? AND address = ? AND user_name = ? AND device_name = ?";
    private static final String RELEASE = "UPDATE address_leases SET session_id = NULL, released_at = ? "
            + "WHERE pool = ? AND address = ? AND released_at IS NULL";
    private static final String TAKE_OVER = "UPDATE address_leases SET user_name = ?, device_name = ?, session_id = ?, "
            + "leased_at = ?, released_at = NULL "
            + "WHERE pool = ? AND address = ? AND user_name = ? AND device_name = ? AND released_at IS NOT NULL";

    private static final String FORGET_RELEASED_OR_HELD =
            "DELETE FROM address_leases WHERE pool = ? AND address = ? AND user_name = ? AND device_name = ?";

    private final DataSource dataSource;

    public LeaseRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every lease of the pool, active and released, oldest first. */
    public List<Lease> inPool(String pool) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_POOL)) {
            ps.setString(1, pool);
            try (ResultSet rs = ps.executeQuery()) {
                List<Lease> leases = new ArrayList<>();
                while (rs.next()) {
                    leases.add(read(rs));
                }
                return leases;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the leases of pool " + pool, e);
        }
    }

    /** The lease, active or released, that this user's device has in the pool. */
    public Optional<Lease> heldBy(String pool, String user, String device) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_HOLDER)) {
            ps.setString(1, pool);
            ps.setString(2, user);
            ps.setString(3, device);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the lease of " + user + "/" + device + " in pool " + pool, e);
        }
    }

    /**
     * Records a new active lease of an address that has never been leased in the pool.
     *
     * @return false when the address, or a lease for this device, is already recorded (someone else
     *         was faster); nothing was changed then
     */
    public boolean insert(Lease lease) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, lease.pool());
            ps.setString(2, lease.address());
            ps.setString(3, lease.user());
            ps.setString(4, lease.device());
            ps.setString(5, lease.sessionId());
            Timestamps.set(ps, 6, lease.leasedAt());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new StoreException("Cannot record the lease of " + lease.address() + " in pool " + lease.pool(), e);
        }
    }

    /**
     * Makes the device's own lease active again (after a release, or for a new session).
     *
     * @return false when the address is no longer this device's
     */
    public boolean renew(String pool, String address, String user, String device, String sessionId, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RENEW)) {
            ps.setString(1, sessionId);
            Timestamps.set(ps, 2, now);
            ps.setString(3, pool);
            ps.setString(4, address);
            ps.setString(5, user);
            ps.setString(6, device);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot renew the lease of " + address + " in pool " + pool, e);
        }
    }

    /**
     * Gives a released address to another device, the previous holder being the one the caller saw.
     *
     * @return false when the address was renewed or taken over meanwhile
     */
    public boolean takeOver(Lease released, String user, String device, String sessionId, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(TAKE_OVER)) {
            ps.setString(1, user);
            ps.setString(2, device);
            ps.setString(3, sessionId);
            Timestamps.set(ps, 4, now);
            ps.setString(5, released.pool());
            ps.setString(6, released.address());
            ps.setString(7, released.user());
            ps.setString(8, released.device());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                // the new holder got another address meanwhile: (pool, user, device) is unique
                return false;
            }
            throw new StoreException("Cannot reassign " + released.address() + " in pool " + released.pool(), e);
        }
    }

    /**
     * Marks an active lease released; the row stays, remembering its holder.
     *
     * @return false when the address was not actively leased
     */
    public boolean release(String pool, String address, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RELEASE)) {
            Timestamps.set(ps, 1, now);
            ps.setString(2, pool);
            ps.setString(3, address);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot release " + address + " in pool " + pool, e);
        }
    }

    /**
     * Deletes the row of {@code address} if {@code user}'s {@code device} still holds it, so that the
     * device no longer counts it as its own (the address went to a static peer).
     *
     * @return false when the row is no longer that device's
     */
    public boolean forget(String pool, String address, String user, String device) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(FORGET_RELEASED_OR_HELD)) {
            ps.setString(1, pool);
            ps.setString(2, address);
            ps.setString(3, user);
            ps.setString(4, device);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot forget " + address + " in pool " + pool, e);
        }
    }

    private static Lease read(ResultSet rs) throws SQLException {
        return new Lease(
                rs.getString("pool"),
                rs.getString("address"),
                rs.getString("user_name"),
                rs.getString("device_name"),
                rs.getString("session_id"),
                Timestamps.read(rs, "leased_at"),
                Timestamps.read(rs, "released_at"));
    }
}
