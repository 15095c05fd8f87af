package dev.wirehaven.auth.totp.internal.store;

import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.crypto.SecretCipher;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.server.support.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The tables {@code totp_secrets} and {@code totp_backup_codes}. Whatever must happen at most once (a
 * code accepted, a backup code used, an enrollment confirmed) is one conditional statement whose row
 * count decides: of two logins that present the same code at the same moment, the database lets
 * exactly one change the row, on H2 and on PostgreSQL alike (the second waits for the first's row lock
 * and then finds the condition false). Nothing here reads first and then writes what it believed.
 */
public final class TotpRepository {

    /** What {@link #enroll} did. */
    public enum Enrolled {
        /** The user had no authenticator; now an unconfirmed one. */
        CREATED,
        /** The user's unconfirmed authenticator was replaced by the new one. */
        REPLACED,
        /** Nothing: the user has a confirmed authenticator, which must be removed first. */
        ALREADY_CONFIRMED,
        /** Nothing: another enrollment of the same user was stored at the same moment. */
        RACED
    }

    /** SQLState for a unique or primary key violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String COLUMNS = "user_name, secret_ciphertext, nonce, algorithm, digits, period_seconds,"
            + " confirmed, last_step, created_at, confirmed_at";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM totp_secrets WHERE user_name = ?";
    private static final String LOCK_ONE = "SELECT confirmed FROM totp_secrets WHERE user_name = ? FOR UPDATE";
    private static final String INSERT =
            "INSERT INTO totp_secrets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_UNCONFIRMED =
            "DELETE FROM totp_secrets WHERE user_name = ? AND confirmed = FALSE";
    private static final String DELETE_SECRET = "DELETE FROM totp_secrets WHERE user_name = ?";
    private static final String ANY_SECRET = "SELECT 1 FROM totp_secrets LIMIT 1";

    private static final String CONFIRM = "UPDATE totp_secrets SET confirmed = TRUE, confirmed_at = ?, last_step = ?"
            + " WHERE user_name = ? AND nonce = ? AND confirmed = FALSE AND last_step < ?";
    private static final String ACCEPT_STEP = "UPDATE totp_secrets SET last_step = ?"
            + " WHERE user_name = ? AND nonce = ? AND confirmed = TRUE AND last_step < ?";

    private static final String INSERT_CODE =
            "INSERT INTO totp_backup_codes (user_name, code_hash, created_at) VALUES (?, ?, ?)";
    private static final String DELETE_CODES = "DELETE FROM totp_backup_codes WHERE user_name = ?";
    /** A code counts only while its user's authenticator is confirmed; checked in the same statement. */
    private static final String USE_CODE = "DELETE FROM totp_backup_codes WHERE user_name = ? AND code_hash = ?"
            + " AND EXISTS (SELECT 1 FROM totp_secrets s WHERE s.user_name = ? AND s.confirmed = TRUE)";

    private static final String COUNT_CODES = "SELECT COUNT(*) FROM totp_backup_codes WHERE user_name = ?";

    private final DataSource dataSource;

    public TotpRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code user}'s authenticator, confirmed or not. */
    public Optional<StoredSecret> find(String user) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the authenticator of " + user, e);
        }
    }

    /** True when any user has an authenticator, confirmed or not (so the key file is needed). */
    public boolean anySecret() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ANY_SECRET);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new StoreException("Cannot read the authenticators", e);
        }
    }

    /**
     * Stores {@code fresh}, an unconfirmed authenticator, unless its user has a confirmed one. An
     * unconfirmed one of the user is replaced, and any backup codes of the user are deleted, so that
     * codes of an earlier enrollment never come back to life with this one.
     */
    public Enrolled enroll(StoredSecret fresh) {
        if (fresh.confirmed()) {
            throw new IllegalArgumentException("a new enrollment is unconfirmed");
        }
        String user = fresh.user();
        try {
            return transaction("Cannot store the authenticator of " + user, c -> {
                Optional<Boolean> existing = lock(c, user);
                if (existing.orElse(false)) {
                    return Enrolled.ALREADY_CONFIRMED;
                }
                update(c, DELETE_UNCONFIRMED, user);
                update(c, DELETE_CODES, user);
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setString(1, user);
                    ps.setString(2, fresh.sealed().ciphertext());
                    ps.setString(3, fresh.sealed().nonce());
                    ps.setString(4, fresh.totp().algorithm().name());
                    ps.setInt(5, fresh.totp().digits());
                    ps.setInt(6, fresh.totp().periodSeconds());
                    ps.setBoolean(7, false);
                    ps.setLong(8, StoredSecret.NO_STEP);
                    Timestamps.set(ps, 9, fresh.createdAt());
                    Timestamps.set(ps, 10, null);
                    ps.executeUpdate();
                }
                return existing.isPresent() ? Enrolled.REPLACED : Enrolled.CREATED;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return Enrolled.RACED;
            }
            throw e;
        }
    }

    /**
     * Confirms the unconfirmed enrollment whose nonce is {@code nonce}, recording {@code step} as the
     * newest accepted, so that the confirming code cannot then log in.
     *
     * @return false when that enrollment is gone, confirmed already, or has accepted {@code step} or later
     */
    public boolean confirm(String user, String nonce, long step, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(CONFIRM)) {
            Timestamps.set(ps, 1, now);
            ps.setLong(2, step);
            ps.setString(3, user);
            ps.setString(4, nonce);
            ps.setLong(5, step);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot confirm the authenticator of " + user, e);
        }
    }

    /**
     * Accepts a code of time step {@code step} for the confirmed enrollment whose nonce is {@code nonce}:
     * records it as the newest accepted, unless that enrollment has accepted this step or a later one.
     *
     * @return true for exactly one caller per step and enrollment; false to all others
     */
    public boolean acceptStep(String user, String nonce, long step) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ACCEPT_STEP)) {
            ps.setLong(1, step);
            ps.setString(2, user);
            ps.setString(3, nonce);
            ps.setLong(4, step);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot record the code accepted for " + user, e);
        }
    }

    /**
     * Replaces all of {@code user}'s backup codes by those of {@code hashes}.
     *
     * @return false, changing nothing, when the user has no confirmed authenticator
     */
    public boolean replaceBackupCodes(String user, List<String> hashes, Instant now) {
        return transaction("Cannot store the backup codes of " + user, c -> {
            // the lock keeps a removal of the authenticator from slipping in between the check and the inserts
            if (!lock(c, user).orElse(false)) {
                return false;
            }
            update(c, DELETE_CODES, user);
            try (PreparedStatement ps = c.prepareStatement(INSERT_CODE)) {
                for (String hash : hashes) {
                    ps.setString(1, user);
                    ps.setString(2, hash);
                    Timestamps.set(ps, 3, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return true;
        });
    }

    /**
     * Uses up {@code user}'s backup code of hash {@code hash}, if the user has it and a confirmed
     * authenticator.
     *
     * @return true for exactly one caller per code; false to all others
     */
    public boolean useBackupCode(String user, String hash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(USE_CODE)) {
            ps.setString(1, user);
            ps.setString(2, hash);
            ps.setString(3, user);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("Cannot use a backup code of " + user, e);
        }
    }

    /** How many unused backup codes {@code user} has. */
    public int backupCodesLeft(String user) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COUNT_CODES)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot count the backup codes of " + user, e);
        }
    }

    /**
     * Deletes {@code user}'s authenticator and backup codes.
     *
     * @return false when the user had no authenticator
     */
    public boolean remove(String user) {
        return transaction("Cannot remove the authenticator of " + user, c -> {
            update(c, DELETE_CODES, user);
            return update(c, DELETE_SECRET, user) == 1;
        });
    }

    /** Locks {@code user}'s row for this transaction; its confirmed flag, or empty when there is none. */
    private static Optional<Boolean> lock(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_ONE)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            return ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T transaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private static StoredSecret read(ResultSet rs) throws SQLException {
        String user = rs.getString("user_name");
        Totp totp;
        try {
            totp = new Totp(
                    Totp.Algorithm.valueOf(rs.getString("algorithm")),
                    rs.getInt("digits"),
                    rs.getInt("period_seconds"));
        } catch (IllegalArgumentException e) {
            throw new StoreException("The authenticator of " + user + " has invalid parameters: " + e.getMessage());
        }
        return new StoredSecret(
                user,
                new SecretCipher.Sealed(rs.getString("secret_ciphertext"), rs.getString("nonce")),
                totp,
                rs.getBoolean("confirmed"),
                rs.getLong("last_step"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "confirmed_at"));
    }
}
