package dev.wirehaven.auth.ldap.internal;

import com.sun.security.auth.module.UnixSystem;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway OpenLDAP server for one test class, made from Debian's {@code slapd} as
 * {@code ../shared/design/STACK-NEXT.md} section 1 describes: a temporary directory with a
 * {@code slapd.conf} (the core, cosine, inetorgperson and nis schemas, the mdb database
 * {@value #SUFFIX}, the memberof overlay, access rules like a real directory's), owned by the
 * {@code openldap} user and started as it with {@code setpriv} when the tests run as root; listening
 * on 127.0.0.1 only, at ports found free at the start, with {@code ldaps://} too when given a
 * certificate. The data is {@code directory.ldif}. {@link #close()} stops the process by its pid,
 * waits for it to exit, and deletes the directory; a JVM shutdown hook does the same if a test run
 * ends otherwise.
 *
 * <p>slapd runs in the foreground ({@code -d 8}) rather than detached. A detaching slapd's first
 * process exits before the listeners accept connections (measured on 2.5.13: 14 of 40 immediate
 * connections refused), so its exit says nothing; in the foreground the connection-debug output
 * prints the event loop's first {@code listen=... active_threads=...} line only after every
 * listener listens (0 of 40 refused). The test waits for that line, never for a fixed time. The
 * process is slapd itself (setpriv execs it), so its pid is the one in the pid file.
 *
 * <p>Other modules' tests use it too (the test jar): {@link #startInNamespace} runs it inside a network
 * namespace, for an end-to-end test whose server lives there; its data is then loaded with
 * {@code ldapadd} run in the namespace, since the test's JVM cannot reach that namespace's loopback.
 *
 * <p>Without slapd the tests are skipped (a JUnit assumption, with the reason), like the store's
 * tests without PostgreSQL; with {@code WIREHAVEN_REQUIRE_SLAPD=1} (CI installs slapd) they fail.
 */
public final class Slapd implements AutoCloseable {

    static final String SUFFIX = "dc=wirehaven,dc=test";
    static final String ADMIN_DN = "cn=admin," + SUFFIX;
    static final String ADMIN_PASSWORD = "admin-secret";
    static final String PEOPLE = "ou=people," + SUFFIX;
    static final String GROUPS = "ou=groups," + SUFFIX;
    static final String READER_DN = "cn=vpn-reader,ou=services," + SUFFIX;
    static final String READER_PASSWORD = "reader-secret";

    private static final Path SLAPD = Path.of("/usr/sbin/slapd");
    private static final Path MODULES = Path.of("/usr/lib/ldap");
    private static final Path SCHEMAS = Path.of("/etc/ldap/schema");
    private static final String SERVICE_USER = "openldap";
    /** Printed at the top of slapd's event loop, after listen() on every listener. */
    private static final String READY = "active_threads=";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Another process may take a port between our probe and slapd's bind: then slapd is started again. */
    private static final int START_ATTEMPTS = 3;

    private static final int OUTPUT_LINES = 200;

    /** Certificate files for {@code ldaps://} and StartTLS, in PEM. */
    record TlsFiles(Path caCertificate, Path certificate, Path key) {}

    private final Path home;
    private final TlsFiles tls;
    private final boolean asServiceUser;
    private final Thread shutdownHook;
    /** The last lines slapd printed, for failure messages. */
    private final Deque<String> output = new ArrayDeque<>();

    private Process process;
    private int ldapPort;
    private int ldapsPort;

    /** The network namespace it runs in, or null for the test's own. */
    private final String netns;

    private Slapd(Path home, TlsFiles tls, boolean asServiceUser) {
        this(home, tls, asServiceUser, null);
    }

    private Slapd(Path home, TlsFiles tls, boolean asServiceUser, String netns) {
        this.netns = netns;
        this.home = home;
        this.tls = tls;
        this.asServiceUser = asServiceUser;
        this.shutdownHook = new Thread(this::stopAndDelete, "stop the tests' slapd");
    }

    /** A running server with the tests' directory, {@code ldap://} only. */
    static Slapd start() {
        return start(null);
    }

    /**
     * A running server with the tests' directory.
     *
     * @param tls the server's certificate, key and CA; {@code null} for no TLS
     * @throws org.opentest4j.TestAbortedException when slapd is not installed
     */
    static Slapd start(TlsFiles tls) {
        requireInstalled();
        Slapd slapd;
        try {
            slapd = new Slapd(Files.createTempDirectory("wirehaven-slapd-"), tls, new UnixSystem().getUid() == 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(slapd.shutdownHook);
        try {
            slapd.prepare();
            slapd.launch();
            slapd.load("/directory.ldif");
            return slapd;
        } catch (IOException | LDAPException | LDIFException | RuntimeException e) {
            slapd.close();
            throw new IllegalStateException("The tests' slapd did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A running server inside network namespace {@code netns} (on its 127.0.0.1), loaded with the LDIF
     * resource {@code ldif} of the caller's class path; {@code ldap://} only.
     */
    public static Slapd startInNamespace(String netns, String ldif) {
        requireInstalled();
        Slapd slapd;
        try {
            slapd = new Slapd(
                    Files.createTempDirectory("wirehaven-slapd-"), null, new UnixSystem().getUid() == 0, netns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(slapd.shutdownHook);
        try {
            slapd.prepare();
            slapd.launch();
            slapd.loadInNamespace(ldif);
            return slapd;
        } catch (IOException | RuntimeException e) {
            slapd.close();
            throw new IllegalStateException("The tests' slapd did not start in " + netns + ": " + e.getMessage(), e);
        }
    }

    /** Adds the entries of {@code resource} with {@code ldapadd} inside the namespace, as the administrator. */
    private void loadInNamespace(String resource) throws IOException {
        Path file = home.resolve("load.ldif");
        try (InputStream in =
                Thread.currentThread().getContextClassLoader().getResourceAsStream(resource.substring(1))) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            Files.copy(in, file);
        }
        Process p = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        netns,
                        "ldapadd",
                        "-x",
                        "-H",
                        ldapUrl(),
                        "-D",
                        ADMIN_DN,
                        "-w",
                        ADMIN_PASSWORD,
                        "-f",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ldapadd of " + resource + " failed:\n" + printed);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + resource, e);
        }
    }

    private static void requireInstalled() {
        boolean installed = Files.isExecutable(SLAPD)
                && Files.exists(MODULES.resolve("back_mdb.so"))
                && Files.exists(MODULES.resolve("memberof.so"))
                && Files.isRegularFile(SCHEMAS.resolve("inetorgperson.schema"));
        // CI installs slapd and says so: there a missing server is a failure, not a quiet skip
        if (!installed && "1".equals(System.getenv("WIREHAVEN_REQUIRE_SLAPD"))) {
            throw new IllegalStateException("No OpenLDAP server (" + SLAPD + " with its modules in " + MODULES
                    + "), but WIREHAVEN_REQUIRE_SLAPD=1 says it must be there: install slapd and ldap-utils"
                    + " (Debian: apt-get install slapd ldap-utils)");
        }
        Assumptions.assumeTrue(
                installed,
                () -> "No OpenLDAP server (" + SLAPD + "): the LDAP provider's directory tests are skipped."
                        + " Install slapd and ldap-utils (Debian: apt-get install slapd ldap-utils) to run them.");
    }

    public String ldapUrl() {
        return "ldap://127.0.0.1:" + ldapPort;
    }

    /** The {@code ldaps://} URL; only when started with a certificate. */
    String ldapsUrl() {
        if (tls == null) {
            throw new IllegalStateException("this slapd was started without TLS");
        }
        return "ldaps://127.0.0.1:" + ldapsPort;
    }

    int ldapsPort() {
        return ldapsPort;
    }

    /** A connection bound as the directory's administrator, for checks beside the code under test. */
    LDAPConnection admin() throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort, ADMIN_DN, ADMIN_PASSWORD);
    }

    private void prepare() throws IOException {
        Files.createDirectory(home.resolve("db"));
        List<String> conf = new ArrayList<>();
        for (String schema : List.of("core", "cosine", "inetorgperson", "nis")) {
            conf.add("include " + SCHEMAS.resolve(schema + ".schema"));
        }
        conf.addAll(List.of(
                "modulepath " + MODULES,
                "moduleload back_mdb",
                "moduleload memberof",
                "pidfile " + home.resolve("slapd.pid"),
                "argsfile " + home.resolve("slapd.args")));
        if (tls != null) {
            Path dir = Files.createDirectory(home.resolve("tls"));
            conf.add("TLSCACertificateFile " + copy(tls.caCertificate(), dir.resolve("ca.pem")));
            conf.add("TLSCertificateFile " + copy(tls.certificate(), dir.resolve("server.pem")));
            Path key = copy(tls.key(), dir.resolve("server.key"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            conf.add("TLSCertificateKeyFile " + key);
        }
        conf.addAll(List.of(
                "database mdb",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ADMIN_DN + "\"",
                "rootpw " + ADMIN_PASSWORD,
                "directory " + home.resolve("db"),
                // groups write their members' memberOf, as in Active Directory
                "overlay memberof",
                // like a production directory: passwords only for binds; people readable by the service
                // account and themselves, not by anonymous users; groups by the service account and any
                // user who is bound
                "access to attrs=userPassword",
                "  by self =xw",
                "  by anonymous auth",
                "  by * none",
                "access to dn.subtree=\"" + PEOPLE + "\"",
                "  by dn.exact=\"" + READER_DN + "\" read",
                "  by self read",
                "  by anonymous auth",
                "  by * none",
                "access to dn.subtree=\"" + GROUPS + "\"",
                "  by dn.exact=\"" + READER_DN + "\" read",
                "  by users read",
                "  by * none",
                "access to *",
                "  by * read"));
        Files.write(home.resolve("slapd.conf"), conf, StandardCharsets.UTF_8);
        if (asServiceUser) {
            giveToServiceUser();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.copy(from, to);
        return to;
    }

    /** slapd refuses nothing as root, but Debian's runs as openldap: so does this one, owning its files. */
    private void giveToServiceUser() throws IOException {
        UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName(SERVICE_USER);
            group = lookup.lookupPrincipalByGroupName(SERVICE_USER);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException(
                    "These tests run as root and start slapd as the '" + SERVICE_USER + "' user, which does not exist"
                            + " (the slapd package creates it)",
                    e);
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    private void launch() throws IOException {
        for (int attempt = 1; ; attempt++) {
            ldapPort = freePort();
            ldapsPort = tls == null ? 0 : freePort();
            String urls = ldapUrl() + "/" + (tls == null ? "" : " " + ldapsUrl() + "/");
            List<String> command = new ArrayList<>();
            if (netns != null) {
                command.addAll(List.of("ip", "netns", "exec", netns));
            }
            if (asServiceUser) {
                command.addAll(
                        List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--init-groups"));
            }
            command.addAll(
                    List.of(SLAPD.toString(), "-f", home.resolve("slapd.conf").toString(), "-h", urls, "-d", "8"));
            process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (awaitReady(process)) {
                return;
            }
            String printed = printed();
            stop();
            if (attempt == START_ATTEMPTS || !printed.contains("Address already in use")) {
                throw new IllegalStateException(
                        "slapd exited before it listened on " + urls + ":\n" + printed + "\ncommand: " + command);
            }
        }
    }

    /** Drains the output for as long as slapd runs (a full pipe would stop it); true once it listens. */
    private boolean awaitReady(Process p) {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            remember(line);
                            if (line.contains(READY)) {
                                ready.complete(true);
                            }
                        }
                    } catch (IOException e) {
                        remember("(reading slapd's output failed: " + e.getMessage() + ")");
                    }
                    ready.complete(false);
                },
                "slapd output " + ldapPort);
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop();
            throw new IllegalStateException(
                    "slapd did not listen within " + START_TIMEOUT.toSeconds() + " s:\n" + printed(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while slapd started", e);
        }
    }

    private synchronized void remember(String line) {
        if (output.size() == OUTPUT_LINES) {
            output.removeFirst();
        }
        output.addLast(line);
    }

    private synchronized String printed() {
        return String.join("\n", output);
    }

    private void load(String resource) throws IOException, LDAPException, LDIFException {
        try (InputStream in = Slapd.class.getResourceAsStream(resource);
                LDAPConnection admin = admin()) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            LDIFReader ldif = new LDIFReader(in);
            Entry entry;
            while ((entry = ldif.readEntry()) != null) {
                admin.add(entry);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Stops slapd (SIGTERM to its pid) and waits until the process has exited; its data stays. */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void stopAndDelete() {
        stop();
        if (!Files.exists(home)) {
            return;
        }
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Cannot delete the tests' slapd directory " + home + ": " + e.getMessage());
        }
    }

    /** Stops slapd, waits for its exit and deletes its directory. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs and finds slapd stopped
        }
    }
}
