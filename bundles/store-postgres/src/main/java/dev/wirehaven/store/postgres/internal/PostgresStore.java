package dev.wirehaven.store.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * The store that several gateway nodes share: a {@link DataSource} over one PostgreSQL database,
 * registered with {@value #STORE_PROPERTY}{@code =}{@value #STORE_NAME} like the embedded store is
 * with {@code embedded}, so the server's components (which reference {@code (wirehaven.store=*)})
 * use whichever one runs. It exists only when {@code etc/dev.wirehaven.store.postgres.cfg} does; the
 * framework property {@code wirehaven.store=postgres} keeps the embedded store off.
 *
 * <p>Connections come from HikariCP over pgjdbc's unpooled {@link PGSimpleDataSource}. The pool is
 * built to outlive the database's outages and its failovers:
 *
 * <ul>
 *   <li>It starts without a connection (Hikari's {@code initializationFailTimeout} -1), and the
 *       {@code DataSource} service is registered only once the database has answered
 *       ({@link StoreRegistration}): a gateway that boots while the database is down comes up, says so
 *       in a warning, and its components (which migrate their schema when they start) start when the
 *       database is back, without a restart.
 *   <li>A caller waits at most {@code connection.wait.seconds} for a connection, then gets an
 *       {@link SQLException}: with the database down a login fails fast instead of hanging.
 *   <li>A connection that failed with a connection error is retired by Hikari, idle ones are checked
 *       (keepalive) and every connection is replaced after {@link #MAX_LIFETIME_MINUTES} minutes; new
 *       ones go to the primary ({@code targetServerType=primary}, see {@link PostgresUrl}), so after a
 *       promotion the pool moves to the new primary by itself.
 * </ul>
 */
@Component(
        // registered by hand once the database has answered (see StoreRegistration), not by SCR at activation
        service = {},
        immediate = true,
        configurationPid = PostgresStore.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PostgresStore.Config.class)
public final class PostgresStore implements DataSource, AutoCloseable {

    /** The configuration PID: {@code etc/dev.wirehaven.store.postgres.cfg}. */
    public static final String PID = "dev.wirehaven.store.postgres";
    /** Service property naming the store implementation, the same as the embedded store's. */
    public static final String STORE_PROPERTY = "wirehaven.store";

    public static final String STORE_NAME = "postgres";

    /** Framework property of the installation directory, which a relative {@code password.file} starts from. */
    static final String HOME_PROPERTY = "wirehaven.home";

    static final String POOL_NAME = "wirehaven-store-postgres";
    /**
     * Every connection is replaced after this long, even a healthy one: a server that was the primary
     * and came back as a standby answers reads but refuses writes, and its connections must not stay
     * in the pool for good. Shorter than any usual idle timeout of a firewall or proxy on the way.
     */
    static final long MAX_LIFETIME_MINUTES = 10;
    /** An idle connection is checked this often, so that a dead one is found before a caller takes it. */
    static final long KEEPALIVE_SECONDS = 60;
    /** How long pgjdbc trusts what it learnt of a host (primary, standby, down); its default is 10 s. */
    static final int HOST_RECHECK_SECONDS = 2;

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

    @ObjectClassDefinition(
            name = "Wirehaven PostgreSQL store",
            description = "The PostgreSQL database that several gateway nodes share. Used when the framework"
                    + " property wirehaven.store (etc/config.properties) is postgres.")
    public @interface Config {
        @AttributeDefinition(
                name = "JDBC URL",
                description = "The pgjdbc URL of the database, e.g. jdbc:postgresql://db1:5432/wirehaven, or with"
                        + " several hosts jdbc:postgresql://db1:5432,db2:5432/wirehaven. Unless the URL sets"
                        + " targetServerType, targetServerType=primary is added, so that new connections go to"
                        + " the primary and, after a replica is promoted, to the new primary. No password here:"
                        + " use password.file.")
        String url();

        @AttributeDefinition(name = "User", description = "The database role the gateways connect as.")
        String user() default "wirehaven";

        @AttributeDefinition(
                name = "Password file",
                description = "Path of a file whose first line is the role's password, owned by the user the"
                        + " server runs as and not readable or writable by anyone else (chmod 600); a relative"
                        + " path starts from the installation directory. Empty: no password (trust or peer"
                        + " authentication, or ~/.pgpass).")
        String password_file() default "";

        @AttributeDefinition(
                name = "Maximum connections",
                min = "1",
                max = "1000",
                description = "Connections this gateway keeps open at most; further callers wait. Every gateway"
                        + " has its own pool: keep their sum under the database's max_connections.")
        int max_connections() default 16;

        @AttributeDefinition(
                name = "Connection wait (seconds)",
                min = "1",
                description = "How long a caller waits for a connection before it gets an error. While the"
                        + " database is unreachable, logins fail after this long instead of hanging.")
        int connection_wait_seconds() default 5;
    }

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final boolean reachableAtStart;
    private StoreRegistration registration;
    /** Looks at the password file every few seconds (null without one). */
    private final ScheduledExecutorService passwordCheck;

    @Activate
    public PostgresStore(BundleContext context, Config config, Map<String, Object> properties) {
        this(settings(context, config, properties), processUser());
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(STORE_PROPERTY, STORE_NAME);
        registration = StoreRegistration.of(
                context,
                this,
                serviceProperties,
                reachableAtStart,
                this::reachable,
                settings.url().toString());
    }

    /**
     * The checked settings, once the store is the one chosen: a configuration left in {@code etc/} while
     * {@code wirehaven.store} names the embedded store would otherwise offer a second {@code DataSource}
     * beside it, and which one a component took would be chance.
     */
    private static StoreSettings settings(BundleContext context, Config config, Map<String, Object> properties) {
        String where = ConfigurationOrigin.of(properties).describe();
        requireChosen(context.getProperty(STORE_PROPERTY), where);
        return StoreSettings.of(
                config.url(),
                config.user(),
                config.password_file(),
                config.max_connections(),
                config.connection_wait_seconds(),
                context.getProperty(HOME_PROPERTY),
                where);
    }

    /**
     * @param chosen the framework property {@value #STORE_PROPERTY} (null when not set)
     * @throws IllegalStateException unless it chooses this store, naming both files and the fix
     */
    static void requireChosen(String chosen, String where) {
        if (!STORE_NAME.equals(chosen == null ? null : chosen.strip())) {
            throw new IllegalStateException(where + " is there, but " + STORE_PROPERTY + " in etc/config.properties is "
                    + (chosen == null || chosen.isBlank() ? "not set (the embedded store)" : chosen)
                    + ": set " + STORE_PROPERTY + "=" + STORE_NAME + " and restart to use PostgreSQL, or remove the"
                    + " configuration to keep the embedded store");
        }
    }

    /**
     * @param processUser the user the server runs as, who must own the password file (null: not checked,
     *     where the platform cannot tell)
     */
    PostgresStore(StoreSettings settings, UserPrincipal processUser) {
        this.settings = settings;
        PGSimpleDataSource connections = connections(settings, processUser);
        String server = probe(connections);
        this.reachableAtStart = server != null;
        this.pool = new HikariDataSource(poolOf(connections, settings));
        this.passwordCheck = settings.passwordFile() == null ? null : watch(settings, processUser, connections);
        LOG.info(
                "PostgreSQL store at {} as {}{}: up to {} connections, callers wait at most {} s",
                settings.url(),
                user(),
                server == null ? " (not reachable yet)" : ", " + server,
                settings.maxConnections(),
                settings.waitSeconds());
    }

    /** pgjdbc's unpooled data source: the URL's settings, the role, its password, and timeouts the URL left open. */
    private static PGSimpleDataSource connections(StoreSettings settings, UserPrincipal processUser) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        // setUrl takes every host, port and parameter of the URL; the setters below only fill gaps
        ds.setUrl(settings.url().value());
        if (settings.user() != null) {
            ds.setUser(settings.user());
        }
        if (settings.passwordFile() != null) {
            ds.setPassword(settings.passwordFile().read(processUser));
        }
        PostgresUrl url = settings.url();
        if (!url.sets(PGProperty.CONNECT_TIMEOUT.getName())) {
            // an unreachable host (no answer at all) costs at most the caller's wait, not pgjdbc's 10 s
            ds.setConnectTimeout(settings.waitSeconds());
        }
        if (!url.sets(PGProperty.HOST_RECHECK_SECONDS.getName())) {
            // after a promotion pgjdbc would take the new primary for a standby for up to 10 s
            ds.setHostRecheckSeconds(HOST_RECHECK_SECONDS);
        }
        if (!url.sets(PGProperty.APPLICATION_NAME.getName())) {
            // so that a DBA sees in pg_stat_activity whose connections these are
            ds.setApplicationName("wirehaven");
        }
        return ds;
    }

    /**
     * Checks the password file every {@link PasswordRotation#CHECK_SECONDS}: a new password reaches the
     * unpooled data source that the pool makes its connections from (its properties are thread-safe).
     */
    private static ScheduledExecutorService watch(
            StoreSettings settings, UserPrincipal processUser, PGSimpleDataSource connections) {
        PasswordRotation rotation =
                new PasswordRotation(settings.passwordFile(), processUser, connections::setPassword);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wirehaven-store-postgres-password");
            t.setDaemon(true);
            return t;
        });
        long every = PasswordRotation.CHECK_SECONDS;
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        rotation.check();
                    } catch (RuntimeException e) {
                        // a failed look must not end the schedule
                        LOG.error("Checking the database password file failed: {}", e.toString());
                    }
                },
                every,
                every,
                TimeUnit.SECONDS);
        return timer;
    }

    private static HikariConfig poolOf(PGSimpleDataSource connections, StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setDataSource(connections);
        config.setMaximumPoolSize(settings.maxConnections());
        long waitMillis = TimeUnit.SECONDS.toMillis(settings.waitSeconds());
        config.setConnectionTimeout(waitMillis);
        // the check of a connection before it is lent (JDBC isValid) must leave time for a fresh one
        config.setValidationTimeout(Math.min(waitMillis, TimeUnit.SECONDS.toMillis(3)));
        config.setKeepaliveTime(TimeUnit.SECONDS.toMillis(KEEPALIVE_SECONDS));
        config.setMaxLifetime(TimeUnit.MINUTES.toMillis(MAX_LIFETIME_MINUTES));
        // start without a connection: the database may be down now and back in a minute
        config.setInitializationFailTimeout(-1);
        return config;
    }

    /**
     * Connects once, unpooled, to say at activation whether the database answers and which it is.
     *
     * @return the server's name and version, or null when it did not answer (then a warning says why)
     */
    private String probe(PGSimpleDataSource connections) {
        try (Connection c = connections.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            // pgjdbc's messages name the host and the reason, never the password
            LOG.warn(
                    "PostgreSQL store at {} as {} is not reachable now ({}). The store is up and connects as soon"
                            + " as the database answers; until then callers get an error after {} s",
                    settings.url(),
                    user(),
                    e.getMessage(),
                    settings.waitSeconds());
            return null;
        }
    }

    private static UserPrincipal processUser() {
        try {
            return FileSystems.getDefault()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot tell which user the server runs as: the owner of password.file is not checked", e);
            return null;
        }
    }

    private String user() {
        return settings.user() == null ? "the URL's user" : settings.user();
    }

    /** Whether a pooled connection can be had and answers now (the registration's probe). */
    boolean reachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(settings.waitSeconds());
        } catch (SQLException e) {
            return false;
        }
    }

    /** Closes the pool: connections lent out are closed as they come back. */
    @Deactivate
    @Override
    public void close() {
        if (registration != null) {
            registration.close();
        }
        if (passwordCheck != null) {
            passwordCheck.shutdownNow();
        }
        pool.close();
        LOG.info("PostgreSQL store at {} closed", settings.url());
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            // Hikari's own message names the pool, not the database or the setting that bounds the wait
            throw new SQLTransientConnectionException(
                    "No connection to the PostgreSQL store at " + settings.url() + " within "
                            + settings.waitSeconds() + " s (connection.wait.seconds): "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e.getSQLState(),
                    e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        // one role for the pool: other credentials would bypass it
        throw new SQLFeatureNotSupportedException(
                "the PostgreSQL store connects as its configured user;" + " call getConnection()");
    }

    /** Connections lent out now (for diagnostics and tests). */
    int activeConnections() {
        return pool.getHikariPoolMXBean().getActiveConnections();
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
        throw new SQLException("the PostgreSQL store is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** Where and as whom; never the password. */
    @Override
    public String toString() {
        return "PostgreSQL store at " + settings.url() + " as " + user();
    }
}
