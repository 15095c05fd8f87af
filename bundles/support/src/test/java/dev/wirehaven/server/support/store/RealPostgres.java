package dev.wirehaven.server.support.store;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server for the test run, made from the binaries installed on the machine
 * ({@code initdb}, {@code pg_ctl}), so that the store is proven on the database a production
 * deployment may use and not only on H2's imitation of it. It is started by the first test that
 * asks for it, lives in a temporary directory, listens on a unix socket there and on 127.0.0.1 at
 * a free port (never on an outside address), trusts its one superuser, and is stopped and deleted
 * after the run by {@link StopAfterTheRun}, or by a JVM shutdown hook if the run ends otherwise.
 *
 * <p>Without PostgreSQL binaries the tests that need it are skipped (an assumption, with the reason);
 * {@code .ci/run} installs them, so in CI they run.
 */
final class RealPostgres {

    /** The superuser that initdb creates; trusted, so the tests need no password. */
    private static final String SUPERUSER = "wirehaven";
    /** PostgreSQL refuses to run as root; the distributions' packages create this system user for it. */
    private static final String SERVICE_USER = "postgres";
    /** Debian and Ubuntu keep the server binaries off the PATH, one directory per major version. */
    private static final Path VERSIONED_BINARIES = Path.of("/usr/lib/postgresql");

    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final Logger LOG = LoggerFactory.getLogger(RealPostgres.class);

    private static RealPostgres shared;
    private static RuntimeException startFailure;

    private final Path home;
    private final Path bin;
    private final boolean asServiceUser;
    private final Thread shutdownHook;
    /** Emptied databases, ready for the next test. */
    private final Deque<String> idle = new ArrayDeque<>();

    private int databases;
    private int port;
    private boolean stopped;
    /** The initdb or pg_ctl that runs now: a stop from the shutdown hook ends it before deleting its files. */
    private volatile Process runningCommand;

    private RealPostgres(Path home, Path bin, boolean asServiceUser) {
        this.home = home;
        this.bin = bin;
        this.asServiceUser = asServiceUser;
        this.shutdownHook = new Thread(this::stop, "stop the tests' PostgreSQL");
    }

    /**
     * The server of this run, started on the first call.
     *
     * @throws org.opentest4j.TestAbortedException when no PostgreSQL binaries are installed
     */
    static synchronized RealPostgres shared() {
        if (shared != null) {
            return shared;
        }
        if (startFailure != null) {
            // one failed start is enough: every further test would wait for the same failure again
            throw new IllegalStateException("PostgreSQL could not be started earlier in this run", startFailure);
        }
        Path bin = binaries().orElse(null);
        // CI installs PostgreSQL and says so: there a missing server is a failure, not a quiet skip
        if (bin == null && "1".equals(System.getenv("WIREHAVEN_REQUIRE_POSTGRES"))) {
            throw new IllegalStateException("No PostgreSQL server binaries (initdb, pg_ctl) found, but"
                    + " WIREHAVEN_REQUIRE_POSTGRES=1 says they must be: install postgresql");
        }
        Assumptions.assumeTrue(
                bin != null,
                () -> "No PostgreSQL server binaries (initdb, pg_ctl) on the PATH, in "
                        + "/usr/local/bin or in " + VERSIONED_BINARIES
                        + "/*/bin: the store's tests on PostgreSQL are skipped. "
                        + "Install them (Debian: apt-get install postgresql) to run them.");
        try {
            shared = start(bin);
        } catch (IOException e) {
            startFailure = new UncheckedIOException("Cannot start PostgreSQL from " + bin + ": " + e.getMessage(), e);
            throw startFailure;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        return shared;
    }

    /** Stops and deletes the server of this run, if one was started. */
    static synchronized void stopShared() {
        if (shared != null) {
            shared.stop();
            shared.forgetShutdownHook();
            shared = null;
        }
    }

    private void forgetShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs or ran, and finds the server stopped
        }
    }

    /**
     * An empty database of this server, for one test. Closing the returned handle empties it again
     * and keeps it for the next test: a CREATE DATABASE copies a template of several megabytes
     * (about 0.1 s), emptying the schema takes a few milliseconds.
     */
    synchronized TestDatabase newDatabase() {
        String name = idle.poll();
        if (name == null) {
            name = "wirehaven_test_" + (++databases);
            administer("CREATE DATABASE " + name);
        }
        String database = name;
        PGSimpleDataSource dataSource = dataSource(database);
        return new TestDatabase(dataSource, () -> recycle(database, dataSource));
    }

    private void recycle(String database, PGSimpleDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            // a test that left a transaction open must fail, not hang the run
            s.execute("SET lock_timeout = '10s'");
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        synchronized (this) {
            idle.push(database);
        }
    }

    private PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(SUPERUSER);
        return ds;
    }

    private String version() {
        try (Connection c = dataSource("postgres").getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("The tests' PostgreSQL does not answer: " + e.getMessage(), e);
        }
    }

    private void administer(String sql) {
        try (Connection c = dataSource("postgres").getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("The tests' PostgreSQL refused " + sql + ": " + e.getMessage(), e);
        }
    }

    private static RealPostgres start(Path bin) throws IOException {
        boolean asServiceUser = new UnixSystem().getUid() == 0;
        Path home = Files.createTempDirectory("wirehaven-postgres-");
        RealPostgres server = new RealPostgres(home, bin, asServiceUser);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            if (asServiceUser) {
                try {
                    Files.setOwner(
                            home,
                            home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER));
                } catch (UserPrincipalNotFoundException e) {
                    throw new IllegalStateException(
                            "These tests run as root, which PostgreSQL refuses, and there is " + "no '" + SERVICE_USER
                                    + "' system user to run it as (the postgresql package creates it)",
                            e);
                }
            }
            server.initialise();
            server.launch();
            LOG.info(
                    "PostgreSQL {} started for the store's tests in {} (127.0.0.1:{}{})",
                    server.version(),
                    home,
                    server.port,
                    asServiceUser ? ", as the " + SERVICE_USER + " user" : "");
            return server;
        } catch (IOException | RuntimeException e) {
            server.stop();
            server.forgetShutdownHook();
            throw e;
        }
    }

    private Path data() {
        return home.resolve("data");
    }

    private void initialise() throws IOException {
        // C collation: string order by code point, the same as H2's; --no-sync because nothing here must survive a
        // crash
        run(
                bin.resolve("initdb").toString(),
                "-D",
                data().toString(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync");
    }

    private void launch() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // appended settings win over initdb's; durability is off because the data is thrown away, which
        // makes CREATE DATABASE and every commit cheap
        String settings = String.join(
                "\n",
                "",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + home.toString().replace("'", "''") + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "");
        Files.writeString(
                data().resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        run(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data().toString(),
                "-l",
                home.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "start");
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Process running = runningCommand;
            if (running != null) {
                // only when the JVM exits during the start: initdb would write on while its directory is deleted
                running.destroy();
                running.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            if (Files.exists(data().resolve("postmaster.pid"))) {
                run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
            }
        } catch (IOException | RuntimeException e) {
            // the directory goes anyway: a postmaster whose data directory vanished shuts itself down
            System.err.println("Stopping the tests' PostgreSQL failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(home);
            LOG.info("PostgreSQL of the store's tests stopped, {} deleted", home);
        }
    }

    /** Runs a PostgreSQL command as the user that may run the server; its output goes into the failure message. */
    private void run(String... command) throws IOException {
        List<String> full = commandLine(List.of(command));
        // into a file, not a pipe: pg_ctl's postmaster lives on and would keep a pipe open
        Path output = home.resolve("command.log");
        try {
            Process p = new ProcessBuilder(full)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            runningCommand = p;
            boolean exited = p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            if (!exited || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full)
                        + (exited
                                ? " exited with " + p.exitValue()
                                : " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s")
                        + ":\n" + Files.readString(output)
                        + serverLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", full), e);
        } finally {
            runningCommand = null;
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        Path log = home.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    /** The command line that runs {@code command} as whoever may run the server: us, or the service user if we are root. */
    private List<String> commandLine(List<String> command) {
        if (!asServiceUser) {
            return command;
        }
        Optional<Path> runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        if (runuser.isPresent()) {
            List<String> line = new ArrayList<>(List.of(runuser.get().toString(), "-u", SERVICE_USER, "--"));
            line.addAll(command);
            return line;
        }
        // su hands its command to a shell, so every word is quoted for it
        String quoted =
                command.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        return List.of("su", "-s", "/bin/sh", SERVICE_USER, "-c", quoted);
    }

    /** The directory that holds both initdb and pg_ctl: the PATH first, then the usual install locations. */
    private static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Stream.of(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).forEach(candidates::add);
        }
        candidates.add(Path.of("/usr/local/bin"));
        if (Files.isDirectory(VERSIONED_BINARIES)) {
            try (Stream<Path> versions = Files.list(VERSIONED_BINARIES)) {
                versions.filter(v -> v.getFileName().toString().matches("[0-9]+"))
                        .sorted(Comparator.comparingInt((Path v) ->
                                        Integer.parseInt(v.getFileName().toString()))
                                .reversed())
                        .map(v -> v.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Cannot delete the tests' PostgreSQL directory " + root + ": " + e.getMessage());
        }
    }

    /**
     * Stops the server when the whole test run is over, rather than after each class: starting it costs
     * a few seconds, a database of it a few milliseconds.
     */
    static final class StopAfterTheRun implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot()
                    .getStore(ExtensionContext.Namespace.create(RealPostgres.class))
                    .getOrComputeIfAbsent(
                            StopAfterTheRun.class, k -> (AutoCloseable) RealPostgres::stopShared, AutoCloseable.class);
        }
    }
}
