package dev.wirehaven.itests.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server inside a network namespace, made from the binaries the machine has
 * ({@code initdb}, {@code pg_ctl}; Debian keeps them in {@code /usr/lib/postgresql/<major>/bin}) and run
 * as the {@code postgres} system user, since PostgreSQL refuses to run as root. It listens on one address
 * of the namespace and on a unix socket in its own directory, which lives under {@code /tmp} (the
 * {@code postgres} user must be able to reach it) and is deleted by {@link #close()}.
 *
 * <p>Authentication is as a production deployment has it: the gateways' role {@value #ROLE} logs in over
 * TCP with a password (SCRAM-SHA-256) from one subnet only; the superuser is trusted on the unix
 * socket alone, for the test's own queries (and for a standby's replication, {@link #startStandby}).
 */
final class NetnsPostgres implements AutoCloseable {

    static final String ROLE = "wirehaven";
    static final String DATABASE = "wirehaven";
    static final int PORT = 5432;

    private static final String SERVICE_USER = "postgres";
    private static final Path VERSIONED_BINARIES = Path.of("/usr/lib/postgresql");

    private final Netns ns;
    private final Path bin;
    private final Path home;
    private final String address;
    /** Where {@link #close()} copies the server's log, which the postgres user writes in the cluster's directory. */
    private final Path logDir;
    /** The name of that copy: {@code postgres.log}, {@code postgres-standby.log}. */
    private final String logName;

    private NetnsPostgres(Netns ns, Path bin, Path home, String address, Path logDir, String logName) {
        this.ns = ns;
        this.bin = bin;
        this.home = home;
        this.address = address;
        this.logDir = logDir;
        this.logName = logName;
    }

    /** Skips the calling test unless PostgreSQL's server binaries and its system user exist. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(
                binaries().isPresent(),
                "no PostgreSQL server binaries (initdb, pg_ctl, psql, pg_basebackup) in " + VERSIONED_BINARIES
                        + "/*/bin or on the PATH (Debian: apt-get install postgresql)");
        Assumptions.assumeTrue(Command.which("runuser") != null, "runuser (util-linux) is needed to run PostgreSQL");
    }

    /**
     * Makes a cluster, starts it in {@code ns} on {@code address}, and creates the role {@value #ROLE}
     * with {@code password} and its database {@value #DATABASE}; {@code clients} is the subnet that may
     * log in as that role (CIDR).
     */
    static NetnsPostgres start(Netns ns, String address, String clients, String password, Path logDir)
            throws IOException {
        Path bin = binaries().orElseThrow();
        Path home = serviceUsersDirectory();
        NetnsPostgres db = new NetnsPostgres(ns, bin, home, address, logDir, "postgres.log");
        try {
            db.asServiceUser(
                    120,
                    bin.resolve("initdb").toString(),
                    "-D",
                    db.data().toString(),
                    "-U",
                    SERVICE_USER,
                    "--auth-local=trust",
                    "--auth-host=reject",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync");
            // appended settings win over initdb's; durability is off because the data is thrown away
            Files.writeString(
                    db.data().resolve("postgresql.conf"),
                    String.join(
                            "\n",
                            "",
                            "listen_addresses = '" + address + "'",
                            "port = " + PORT,
                            "unix_socket_directories = '" + home + "'",
                            "password_encryption = 'scram-sha-256'",
                            "fsync = off",
                            "synchronous_commit = off",
                            "full_page_writes = off",
                            "log_connections = on",
                            // a standby may stream from it (15's defaults, stated so that a changed default
                            // does not break the promotion test)
                            "wal_level = replica",
                            "max_wal_senders = 4",
                            "hot_standby = on",
                            ""),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            // only the gateways' role, only to its database, only from the gateways' subnet, only with its password
            Files.writeString(
                    db.data().resolve("pg_hba.conf"),
                    "local all " + SERVICE_USER + " trust\n" + "local replication " + SERVICE_USER + " trust\n"
                            + "host " + DATABASE + " " + ROLE + " " + clients + " scram-sha-256\n",
                    StandardCharsets.UTF_8);
            db.startAgain();
            // from a file, so that the password is in no command line and no failure message
            Path createRole = home.resolve("create-role.sql");
            Files.writeString(
                    createRole, "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password.replace("'", "''") + "';\n");
            Files.setPosixFilePermissions(createRole, PosixFilePermissions.fromString("rw-------"));
            Files.setOwner(
                    createRole,
                    home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER));
            try {
                db.psql("postgres", "-f", createRole.toString());
            } finally {
                Files.delete(createRole);
            }
            db.sql("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            return db;
        } catch (IOException | RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /**
     * A streaming standby of this server in the same namespace, listening on {@code standbyAddress} (an
     * address of the namespace) at the same port: a base backup over the unix socket ({@code pg_basebackup
     * -R}, which also writes how to follow this server), then started. It has the same roles, passwords and
     * client rules, and is read-only until {@link #promote()}.
     */
    NetnsPostgres startStandby(String standbyAddress) throws IOException {
        NetnsPostgres standby =
                new NetnsPostgres(ns, bin, serviceUsersDirectory(), standbyAddress, logDir, "postgres-standby.log");
        try {
            standby.asServiceUser(
                    120,
                    bin.resolve("pg_basebackup").toString(),
                    "-h",
                    home.toString(),
                    "-p",
                    Integer.toString(PORT),
                    "-U",
                    SERVICE_USER,
                    "-D",
                    standby.data().toString(),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                    "--no-sync");
            // appended after the primary's own lines, which the backup copied: these win
            Files.writeString(
                    standby.data().resolve("postgresql.conf"),
                    String.join(
                            "\n",
                            "",
                            "listen_addresses = '" + standbyAddress + "'",
                            "unix_socket_directories = '" + standby.home + "'",
                            ""),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            standby.startAgain();
            return standby;
        } catch (IOException | RuntimeException | Error e) {
            standby.close();
            throw e;
        }
    }

    /** Whether a standby streams from this server now. */
    boolean hasStreamingStandby() throws IOException {
        return sql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
                .equals("1");
    }

    /** Whether this standby has replayed the primary's WAL up to {@code lsn} ({@link #walPosition()} of the primary). */
    boolean replayed(String lsn) throws IOException {
        return sql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn").equals("t");
    }

    /** Where this primary's WAL ends now. */
    String walPosition() throws IOException {
        return sql("SELECT pg_current_wal_lsn()");
    }

    /** Ends the server as a crash does ({@code pg_ctl -m immediate}): no checkpoint, every backend killed. */
    void crash() throws IOException {
        asServiceUser(90, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
    }

    /** {@code pg_ctl promote}: returns once this standby has left recovery and takes writes. */
    void promote() throws IOException {
        asServiceUser(90, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "-t", "60", "promote");
    }

    /** {@code pg_ctl start} in the namespace (the first start too), waiting until it accepts connections. */
    void startAgain() throws IOException {
        asServiceUser(
                90,
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

    /** {@code pg_ctl stop -m fast}: sessions are ended, the gateways' connections reset. */
    void stop() throws IOException {
        asServiceUser(90, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    /** Runs {@code sql} as the superuser over the unix socket; the rows as psql's unaligned output. */
    String sql(String sql) throws IOException {
        return sqlIn("postgres", sql);
    }

    /** As {@link #sql}, in the gateways' database. */
    String sqlInGatewayDatabase(String sql) throws IOException {
        return sqlIn(DATABASE, sql);
    }

    private String sqlIn(String database, String sql) throws IOException {
        return psql(database, "-c", sql);
    }

    /** psql as the superuser over the unix socket, with {@code args} after the connection options. */
    private String psql(String database, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                bin.resolve("psql").toString(),
                "-h",
                home.toString(),
                "-p",
                Integer.toString(PORT),
                "-U",
                SERVICE_USER,
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-At"));
        argv.addAll(List.of(args));
        return asServiceUser(60, argv.toArray(String[]::new)).stdout().trim();
    }

    /** The JDBC URL at which the gateways reach it. */
    String url() {
        return "jdbc:postgresql://" + address + ":" + PORT + "/" + DATABASE;
    }

    /**
     * The JDBC URL at which the gateways reach this server and its standby: both hosts, of which the
     * store connects to the one that takes writes ({@code targetServerType=primary}, which the store adds).
     */
    String urlWith(NetnsPostgres standby) {
        return "jdbc:postgresql://" + address + ":" + PORT + "," + standby.address + ":" + PORT + "/" + DATABASE;
    }

    /** The server's own log, for a failure report. */
    String log() {
        return TestFiles.read(home.resolve("server.log"));
    }

    private Path data() {
        return home.resolve("data");
    }

    /** A new temporary directory that the postgres user owns: a cluster's data, log and socket go there. */
    private static Path serviceUsersDirectory() throws IOException {
        Path home = Files.createTempDirectory("wirehaven-gateway-postgres-");
        try {
            Files.setOwner(
                    home, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER));
        } catch (UserPrincipalNotFoundException e) {
            TestFiles.deleteTree(home);
            throw new IllegalStateException("no '" + SERVICE_USER + "' system user to run PostgreSQL as", e);
        }
        return home;
    }

    private Command.Result asServiceUser(long timeoutSeconds, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", SERVICE_USER, "--"));
        argv.addAll(List.of(command));
        // from the cluster's directory: the postgres user may not read the test's working directory
        List<String> inDir = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", home.toString()));
        inDir.addAll(argv);
        Command.Result r = ns.exec(timeoutSeconds, Map.of(), inDir.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ": "
                    + r.stderr().trim() + "\n" + r.stdout().trim() + "\n---- postgres log:\n"
                    + TestFiles.tail(log(), 40));
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                ns.exec(
                        60,
                        Map.of(),
                        "runuser",
                        "-u",
                        SERVICE_USER,
                        "--",
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data().toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop");
            }
        } finally {
            try {
                if (Files.exists(home.resolve("server.log"))) {
                    Files.copy(
                            home.resolve("server.log"),
                            logDir.resolve(logName),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                TestFiles.deleteTree(home);
            }
        }
    }

    /** A password file as the server wants it: the password on its first line, owner-only. */
    static Path passwordFile(Path file, String password) throws IOException {
        Files.writeString(file, password + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
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
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir));
            }
        }
        return candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb"))
                        && Files.isExecutable(d.resolve("pg_ctl"))
                        && Files.isExecutable(d.resolve("psql"))
                        && Files.isExecutable(d.resolve("pg_basebackup")))
                .findFirst();
    }
}
