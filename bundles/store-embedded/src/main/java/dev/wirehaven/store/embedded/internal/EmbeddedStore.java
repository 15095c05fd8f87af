package dev.wirehaven.store.embedded.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.LoggerFactory;

/**
 * The default store: a {@link DataSource} over an H2 file database in the data directory, which
 * needs no setup. The server finds it, like any other store (the PostgreSQL store), as a
 * {@code javax.sql.DataSource} service and owns the schema itself; the property
 * {@value #STORE_PROPERTY}{@code =}{@value #STORE_NAME} lets an operator choose between stores with
 * a target filter.
 *
 * <p>Connections come from H2's own small pool: the server's work is short transactions, and a
 * pool avoids reopening a session per request without bringing in a pooling library. H2 runs
 * in-process here, so the database is protected by the owner-only directory, not by a password.
 */
@Component(
        service = DataSource.class,
        // enabled by StoreSelection unless the framework property wirehaven.store chooses another store
        enabled = false,
        configurationPid = EmbeddedStore.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = EmbeddedStore.STORE_PROPERTY + "=" + EmbeddedStore.STORE_NAME)
@Designate(ocd = EmbeddedStore.Config.class)
public final class EmbeddedStore implements DataSource, AutoCloseable {

    /** The configuration PID: {@code etc/dev.wirehaven.store.embedded.cfg}. */
    public static final String PID = "dev.wirehaven.store.embedded";
    /** Service property naming the store implementation. */
    public static final String STORE_PROPERTY = "wirehaven.store";

    public static final String STORE_NAME = "embedded";

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);
    // in-process H2: the owner-only directory is the protection, the user only names the database owner
    private static final String USER = "wirehaven";
    private static final String PASSWORD = "";

    @ObjectClassDefinition(
            name = "Wirehaven embedded store",
            description = "The H2 database in <data>/db that the server uses when no other store is installed.")
    public @interface Config {
        @AttributeDefinition(
                name = "Maximum connections",
                min = "1",
                max = "1000",
                description = "Connections open at the same time; further callers wait.")
        int max_connections() default 16;

        @AttributeDefinition(
                name = "Connection wait (seconds)",
                min = "1",
                description = "How long a caller waits for a free connection before it gets an error.")
        int connection_wait_seconds() default 30;
    }

    private final DatabaseLocation location;
    private final JdbcConnectionPool pool;

    @Activate
    public EmbeddedStore(BundleContext context, Config config) throws IOException, SQLException {
        this(
                DatabaseLocation.inDataDirectory(context.getProperty(DatabaseLocation.DATA_PROPERTY)),
                config.max_connections(),
                config.connection_wait_seconds());
    }

    EmbeddedStore(DatabaseLocation location, int maxConnections, int waitSeconds) throws IOException, SQLException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException(PID + ": max.connections must be at least 1, was " + maxConnections);
        }
        if (waitSeconds < 1) {
            throw new IllegalArgumentException(
                    PID + ": connection.wait.seconds must be at least 1, was " + waitSeconds);
        }
        this.location = location;
        location.prepare();
        JdbcConnectionPool created = JdbcConnectionPool.create(location.jdbcUrl(), USER, PASSWORD);
        created.setMaxConnections(maxConnections);
        created.setLoginTimeout(waitSeconds);
        // open once now, so that a locked or corrupt database fails activation with H2's reason
        // instead of failing the first request much later
        try (Connection probe = created.getConnection()) {
            LOG.info(
                    "Embedded store open at {} (H2 {}, up to {} connections)",
                    location,
                    probe.getMetaData().getDatabaseProductVersion(),
                    maxConnections);
        } catch (SQLException e) {
            created.dispose();
            throw new SQLException(
                    "Cannot open the embedded store at " + location + ": " + e.getMessage()
                            + " (is another Wirehaven server running with the same data directory?)",
                    e.getSQLState(),
                    e);
        }
        this.pool = created;
    }

    /**
     * Opens the store outside the framework, for a process that works on the database while no
     * server runs (the server's {@code bin/wirehaven user ...} command line, which finds this method
     * through {@link dev.wirehaven.store.embedded.OfflineStore}). Same location, URL, settings and database
     * owner as the component, so both always open the same database; the caller must
     * {@link #close()} it to release the file.
     *
     * @param dataDirectory the value of {@value DatabaseLocation#DATA_PROPERTY} (null or blank: the default)
     */
    public static EmbeddedStore openStandalone(String dataDirectory) throws IOException, SQLException {
        // one caller at a time: a command-line tool runs one statement after the other
        return new EmbeddedStore(DatabaseLocation.inDataDirectory(dataDirectory), 2, 5);
    }

    /** Closes the database: committed data is on disk and the file is released for the next start. */
    @Deactivate
    public void close() {
        // SHUTDOWN closes the database even if a caller still holds a connection; by now SCR has
        // deactivated every component that used this service. It runs on a connection of its own:
        // a pooled one rolls back when it is returned, which fails on the closed database and makes
        // H2 write that failure to a wirehaven.trace.db file at every stop
        JdbcDataSource unpooled = new JdbcDataSource();
        unpooled.setURL(location.jdbcUrl());
        unpooled.setUser(USER);
        unpooled.setPassword(PASSWORD);
        try (Connection c = unpooled.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            LOG.warn("Embedded store at {} did not shut down cleanly: {}", location, e.getMessage());
        } finally {
            pool.dispose();
        }
        LOG.info("Embedded store at {} closed", location);
    }

    /** Connections currently lent out (for diagnostics and tests). */
    int activeConnections() {
        return pool.getActiveConnections();
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (IllegalStateException disposed) {
            // H2 reports a disposed pool unchecked; JDBC callers handle SQLException only
            throw new SQLException("the " + this + " is closed", "08003", disposed);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // one database owner: other credentials would open a second, unpooled session for nothing
        throw new SQLFeatureNotSupportedException("the embedded store has no users; call getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("the embedded store is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "embedded store at " + location;
    }
}
