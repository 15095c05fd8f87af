package dev.wirehaven.store.postgres.internal;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway primary and its streaming standby, made from the PostgreSQL binaries installed on the
 * machine ({@code initdb}, {@code pg_ctl}, {@code pg_basebackup -R}), for the failover tests: the
 * primary can be crashed and the standby promoted, as an operator (or Patroni) does after losing the
 * primary.
 *
 * <pre>
 *   127.0.0.1:primary ── WAL stream ──▶ 127.0.0.1:standby (hot standby, read-only until promoted)
 * </pre>
 *
 * <p>Each server has its own temporary directory (data, log, unix socket), listens on 127.0.0.1 at a
 * free port and trusts its one superuser {@value #SUPERUSER}, replication included. When the tests run
 * as root the servers run as the {@code postgres} user, which PostgreSQL requires. {@link #close()}
 * stops both and deletes the directories; a JVM shutdown hook does it if the run ends otherwise.
 *
 * <p>Without the binaries the tests that ask for the pair are skipped (an assumption with the reason),
 * unless {@code WIREHAVEN_REQUIRE_POSTGRES=1} says they must run, as in CI: then it is a failure.
 */
final class ReplicatedPostgres implements AutoCloseable {

    /** The superuser that initdb creates; trusted for connections and replication, so no password. */
    static final String SUPERUSER = "wirehaven";
    /** PostgreSQL refuses to run as root; the distributions' packages create this system user for it. */
    private static final String SERVICE_USER = "postgres";
    /** Debian and Ubuntu keep the server binaries off the PATH, one directory per major version. */
    private static final Path VERSIONED_BINARIES = Path.of("/usr/lib/postgresql");

    private static final List<String> NEEDED = List.of("initdb", "pg_ctl", "pg_basebackup");
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    /** How long the standby may take to stream or to replay: far more than it needs on loopback. */
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(60);

    /** One server of the pair: its directory (data, server.log, the unix socket) and its port. */
    static final class Node {
        private final String role;
        private final Path home;
        private final int port;

        private Node(String role, Path home, int port) {
            this.role = role;
            this.home = home;
            this.port = port;
        }

        int port() {
            return port;
        }

        private Path data() {
            return home.resolve("data");
        }

        private Path log() {
            return home.resolve("server.log");
        }

        /** An unpooled connection to {@code database} on this server alone, beside the store under test. */
        Connection connect(String database) throws SQLException {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {"127.0.0.1"});
            ds.setPortNumbers(new int[] {port});
            ds.setDatabaseName(database);
            ds.setUser(SUPERUSER);
            ds.setConnectTimeout(5);
            return ds.getConnection();
        }

        @Override
        public String toString() {
            return role + " 127.0.0.1:" + port + " in " + home;
        }
    }

    private final Path bin;
    private final boolean asServiceUser;
    private final Node primary;
    private final Node standby;
    private final Thread shutdownHook = new Thread(this::close, "stop the replicated PostgreSQL of the tests");
    private boolean closed;

    private ReplicatedPostgres(Path bin, boolean asServiceUser, Node primary, Node standby) {
        this.bin = bin;
        this.asServiceUser = asServiceUser;
        this.primary = primary;
        this.standby = standby;
    }

    /**
     * Starts a primary with the database {@code database}, takes a base backup of it for the standby
     * and starts the standby; returns once the standby streams.
     *
     * @throws org.opentest4j.TestAbortedException when the binaries are not installed
     */
    static ReplicatedPostgres start(String database) throws IOException {
        Path bin = binaries().orElse(null);
        if (bin == null && "1".equals(System.getenv("WIREHAVEN_REQUIRE_POSTGRES"))) {
            throw new IllegalStateException("No PostgreSQL server binaries (" + String.join(", ", NEEDED)
                    + ") found, but WIREHAVEN_REQUIRE_POSTGRES=1 says they must be: install postgresql");
        }
        Assumptions.assumeTrue(
                bin != null,
                () -> "No PostgreSQL server binaries (" + String.join(", ", NEEDED) + ") on the PATH, in"
                        + " /usr/local/bin or in " + VERSIONED_BINARIES + "/*/bin: the failover tests are"
                        + " skipped. Install them (Debian: apt-get install postgresql) to run them.");
        boolean asServiceUser = new UnixSystem().getUid() == 0;
        ReplicatedPostgres pair = new ReplicatedPostgres(
                bin,
                asServiceUser,
                new Node("primary", home("primary", asServiceUser), freePort()),
                new Node("standby", home("standby", asServiceUser), freePort()));
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        try {
            pair.startPrimary(database);
            pair.startStandby();
            pair.awaitStreaming();
            return pair;
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    Node primary() {
        return primary;
    }

    Node standby() {
        return standby;
    }

    private void startPrimary(String database) throws IOException {
        // C collation and UTF8 like the other tests' server; --no-sync: nothing here must survive a power cut
        run(
                bin.resolve("initdb").toString(),
                "-D",
                primary.data().toString(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync");
        // initdb's pg_hba.conf already trusts replication from loopback with --auth=trust; written out so that the
        // test does not depend on that default
        Files.writeString(
                primary.data().resolve("pg_hba.conf"),
                "\nhost replication " + SUPERUSER + " 127.0.0.1/32 trust\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        configure(
                primary,
                // what streaming replication needs (15's defaults, stated so that a changed default does not break it)
                "wal_level = replica",
                "max_wal_senders = 4",
                "hot_standby = on",
                // fsync off is safe for a process crash (pg_ctl -m immediate): the kernel keeps the written pages
                "fsync = off",
                "full_page_writes = off");
        pgCtl(primary, "start");
        try (Connection c = primary.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "The primary refused CREATE DATABASE " + database + ": " + e.getMessage() + serverLog(primary));
        }
    }

    private void startStandby() throws IOException {
        // -R writes standby.signal and primary_conninfo; the copy carries the primary's settings, and the lines
        // appended below (port, socket) come later in the file and win
        run(
                bin.resolve("pg_basebackup").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(primary.port),
                "-U",
                SUPERUSER,
                "-D",
                standby.data().toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync");
        configure(standby);
        pgCtl(standby, "start");
    }

    /** Appends the node's address and socket, and {@code settings}, to its postgresql.conf. */
    private static void configure(Node node, String... settings) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "",
                "listen_addresses = '127.0.0.1'",
                "port = " + node.port,
                "unix_socket_directories = '" + node.home.toString().replace("'", "''") + "'"));
        lines.addAll(List.of(settings));
        lines.add("");
        Files.writeString(
                node.data().resolve("postgresql.conf"),
                String.join("\n", lines),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** Waits until the primary reports a standby in the state {@code streaming}. */
    void awaitStreaming() {
        awaitOn(
                primary,
                "SELECT count(*) > 0 FROM pg_stat_replication WHERE state = 'streaming'",
                "the standby to stream from the primary");
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    void awaitReplayed() {
        String written;
        try (Connection c = primary.connect("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
            rs.next();
            written = rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("The primary does not answer: " + e.getMessage() + serverLog(primary), e);
        }
        awaitOn(
                standby,
                "SELECT pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn",
                "the standby to replay the primary's WAL up to " + written);
    }

    /** Ends the primary the way a crash does: {@code pg_ctl -m immediate}, no shutdown checkpoint, backends killed. */
    void crashPrimary() throws IOException {
        run(bin.resolve("pg_ctl").toString(), "-D", primary.data().toString(), "-m", "immediate", "-w", "stop");
    }

    /** {@code pg_ctl promote}; returns once the standby has left recovery and accepts writes. */
    void promoteStandby() throws IOException {
        run(bin.resolve("pg_ctl").toString(), "-D", standby.data().toString(), "-w", "-t", "60", "promote");
    }

    private void awaitOn(Node node, String condition, String what) {
        long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            try (Connection c = node.connect("postgres");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(condition)) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
                last = "not yet";
            } catch (SQLException e) {
                last = e.getMessage();
            }
            try {
                // real processes replicate in real time: there is no clock to advance instead
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("Waited " + REPLICATION_WAIT.toSeconds() + " s for " + what + " (" + last + ")"
                + serverLog(primary) + serverLog(standby));
    }

    private void pgCtl(Node node, String action) throws IOException {
        run(
                bin.resolve("pg_ctl").toString(),
                "-D",
                node.data().toString(),
                "-l",
                node.log().toString(),
                "-w",
                "-t",
                "60",
                action);
    }

    /** Stops both servers (where they still run) and deletes their directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Node node : List.of(standby, primary)) {
            try {
                if (Files.exists(node.data().resolve("postmaster.pid"))) {
                    run(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            node.data().toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "stop");
                }
            } catch (IOException | RuntimeException e) {
                // the directory goes anyway: a postmaster whose data directory vanished shuts itself down
                System.err.println("Stopping the tests' " + node + " failed: " + e.getMessage());
            } finally {
                deleteTree(node.home);
            }
        }
        if (!Thread.currentThread().equals(shutdownHook)) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs or ran, and finds the servers gone
            }
        }
    }

    /** Runs a PostgreSQL command as the user that may run the server; its output goes into the failure message. */
    private void run(String... command) throws IOException {
        List<String> full = commandLine(List.of(command));
        // into a file, not a pipe: pg_ctl's postmaster lives on and would keep a pipe open
        Path output = Files.createTempFile("wirehaven-postgres-command-", ".log");
        try {
            Process p = new ProcessBuilder(full)
                    .directory(primary.home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
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
                        + serverLog(primary) + serverLog(standby));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", full), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String serverLog(Node node) {
        try {
            return Files.exists(node.log()) ? "\n" + node + " server log:\n" + Files.readString(node.log()) : "";
        } catch (IOException e) {
            return "\n" + node + " server log unreadable: " + e.getMessage();
        }
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

    /** A fresh temporary directory, owned by the service user when the servers run as it. */
    private static Path home(String role, boolean asServiceUser) throws IOException {
        Path home = Files.createTempDirectory("wirehaven-postgres-" + role + "-");
        if (asServiceUser) {
            try {
                Files.setOwner(
                        home,
                        home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER));
            } catch (UserPrincipalNotFoundException e) {
                deleteTree(home);
                throw new IllegalStateException(
                        "These tests run as root, which PostgreSQL refuses, and there is no '" + SERVICE_USER
                                + "' system user to run it as (the postgresql package creates it)",
                        e);
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The directory that holds every needed binary: the PATH first, then the usual install locations. */
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
                .filter(dir -> NEEDED.stream().allMatch(b -> Files.isExecutable(dir.resolve(b))))
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
}
