package dev.wirehaven.auth.oidc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Keycloak for the test run, from the distribution zip that Maven keeps in the local repository
 * ({@code org.keycloak:keycloak-quarkus-dist}, a test dependency of this module): unpacked once into
 * {@code target/keycloak} and reused by later runs, started in development mode on a free loopback
 * port with a fresh data directory and a random bootstrap admin, ready when its discovery document
 * answers, configured with {@code bin/kcadm.sh}, and stopped with its whole process tree
 * ({@code kc.sh} runs the JVM as its child).
 *
 * <p>Its log goes to {@code target/keycloak/keycloak.log}; a failed start quotes its tail.
 */
final class KeycloakServer implements AutoCloseable {

    /** The first start also builds the server (about 40 s on two cores); later ones take 10–15 s. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private static final String ADMIN = "admin";

    private final Path home;
    private final Path work;
    private final int port;
    private final Process process;
    private final Path log;
    private final Path kcadmConfig;

    private KeycloakServer(Path home, Path work, int port, Process process, Path log) {
        this.home = home;
        this.work = work;
        this.port = port;
        this.process = process;
        this.log = log;
        this.kcadmConfig = work.resolve("kcadm.config");
    }

    /** Unpacks (once), starts and waits for Keycloak, and logs the admin in for {@link #admin}. */
    static KeycloakServer start() throws IOException, InterruptedException {
        Path work = Path.of(System.getProperty("wirehaven.keycloak.home", "target/keycloak"))
                .toAbsolutePath();
        Path home = unpacked(zip(), work);
        // the bootstrap admin is created only on the first start of an empty data directory
        deleteTree(home.resolve("data"));
        String adminPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        int port = freePort();
        Path log = work.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/bash",
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-port=" + port,
                        "--http-host=127.0.0.1",
                        // the management interface (health, metrics) would take port 9000, which may be in use
                        "--http-management-port=" + freePort())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        KeycloakServer server = new KeycloakServer(home, work, port, builder.start(), log);
        try {
            server.awaitReady();
            server.admin(
                    "config",
                    "credentials",
                    "--server",
                    server.url(),
                    "--realm",
                    "master",
                    "--user",
                    ADMIN,
                    "--password",
                    adminPassword);
            return server;
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            server.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The issuer of {@code realm}, as Keycloak names it for requests to {@link #url()}. */
    String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    /** Creates a realm from its JSON representation (clients, groups, users with it). */
    void createRealm(String json) throws IOException, InterruptedException {
        Path file = work.resolve("realm.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        admin("create", "realms", "-f", file.toString());
    }

    /** Runs {@code kcadm.sh args}; fails with its output when it does. */
    String admin(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("/bin/bash", home.resolve("bin/kcadm.sh").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", kcadmConfig.toString()));
        Path output = work.resolve("kcadm.out");
        Process p = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String text = Files.readString(output);
        if (!exited || p.exitValue() != 0) {
            throw new IllegalStateException("kcadm.sh " + args[0] + " " + (args.length > 1 ? args[1] : "")
                    + (exited ? " exited with " + p.exitValue() : " did not finish") + ":\n" + text);
        }
        return text;
    }

    private void awaitReady() throws IOException, InterruptedException {
        URI discovery = URI.create(issuer("master") + "/.well-known/openid-configuration");
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Keycloak exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            if (answers(discovery)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak did not answer at " + discovery + " within "
                + READY_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    private static boolean answers(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops Keycloak: the JVM that kc.sh started, then kc.sh itself. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            for (ProcessHandle child : tree) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // forced below
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static Path zip() {
        String configured = System.getProperty("wirehaven.keycloak.zip");
        if (configured != null) {
            return Path.of(configured);
        }
        // run from an IDE: the local repository's copy
        String version = "26.7.3";
        return Path.of(
                System.getProperty("user.home"),
                ".m2",
                "repository",
                "org",
                "keycloak",
                "keycloak-quarkus-dist",
                version,
                "keycloak-quarkus-dist-" + version + ".zip");
    }

    /**
     * The Keycloak directory under {@code work}, unpacked from {@code zip} unless a complete earlier
     * unpacking of the same zip is there (its marker file is written last).
     */
    private static Path unpacked(Path zip, Path work) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("No Keycloak distribution at " + zip
                    + ": Maven resolves it as a test dependency of this module (run through ./mvnw)");
        }
        Path marker = work.resolve(".unpacked");
        String stamp = zip.getFileName() + " " + Files.size(zip);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
            return findHome(work);
        }
        deleteTree(work);
        Files.createDirectories(work);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = work.resolve(entry.getName()).normalize();
                if (!target.startsWith(work)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(marker, stamp);
        return findHome(work);
    }

    private static Path findHome(Path work) throws IOException {
        try (Stream<Path> children = Files.list(work)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("bin/kc.sh")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no keycloak-*/bin/kc.sh under " + work));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
