package dev.wirehaven.operations.internal.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirehaven.server.support.files.InstallationPermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other half of {@link InstallationCheck}: the distribution's {@code bin/wirehaven}, run as root,
 * does not start the JVM while a directory or file it loads code or configuration from is writable by
 * every user (a warning from inside the JVM would come after the launcher had loaded {@code bundle/}).
 * The shipped script runs in a copy of the layout, with a stand-in {@code java} that answers
 * {@code -version} and otherwise only records that it was started:
 *
 * <pre>
 *   tmp/jdk/bin/java           prints a Java 17 version; any other call touches tmp/started
 *   tmp/wirehaven/bin/wirehaven   the script from distributions/server/src/main/dist/bin
 *                /bundle/ /deploy/ /etc/ /data/
 * </pre>
 */
class StartScriptRefusalTest {

    /** The shipped scripts, from this module's directory (the build runs each module in its own). */
    private static final Path BIN = Path.of("../../distributions/server/src/main/dist/bin");

    private static final Path SCRIPT = BIN.resolve("wirehaven");

    @TempDir
    Path tmp;

    private Path home;
    private Path started;

    @BeforeEach
    void layout() throws IOException {
        // the refusal is for root only; the tests run as root (the build's documented environment)
        assumeTrue(new InstallationPermissions(InstallationPermissions.currentUser()).runsAsRoot(), "not root");
        assumeTrue(Files.isRegularFile(SCRIPT), "the distribution's sources are not beside this module");
        home = tmp.resolve("wirehaven");
        for (String dir : List.of("bin", "bundle", "deploy")) {
            chmod(Files.createDirectories(home.resolve(dir)), "rwxr-xr-x");
        }
        chmod(Files.createDirectories(home.resolve("etc")), "rwx------");
        chmod(home, "rwxr-xr-x");
        for (String script : List.of("wirehaven", "wirehaven-wg", "installation-check.sh")) {
            Files.copy(BIN.resolve(script), home.resolve("bin").resolve(script), StandardCopyOption.REPLACE_EXISTING);
            chmod(home.resolve("bin").resolve(script), "rwxr-xr-x");
        }
        // the jars bin/wirehaven-wg puts on its class path
        for (String jar :
                List.of("wirehaven-wireguard-1.jar", "wirehaven-tun-1.jar", "bcprov-jdk18on-1.jar", "jna-5.jar")) {
            chmod(Files.writeString(home.resolve("bundle").resolve(jar), "x"), "rw-r--r--");
        }
        chmod(Files.writeString(home.resolve("bin/felix.jar"), "x"), "rw-r--r--");
        chmod(Files.writeString(home.resolve("deploy/plugin.jar"), "x"), "rw-r--r--");
        started = tmp.resolve("started");
        Path java = Files.createDirectories(tmp.resolve("jdk/bin")).resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.15\" 2025-04-15' >&2; exit 0; fi\n"
                        + "touch '" + started + "'\n");
        chmod(java, "rwxr-xr-x");
    }

    @Test
    void anInstallationThatOnlyRootCanChangeStarts() throws Exception {
        Result result = run();

        assertEquals(0, result.status(), result.stderr());
        assertTrue(Files.exists(started), "the JVM was not started: " + result.stderr());
    }

    @Test
    void aDeployFolderThatEveryUserCanWriteIsRefusedBeforeTheJvmStarts() throws Exception {
        chmod(home.resolve("deploy"), "rwxrwxrwx");

        Result result = run();

        assertEquals(1, result.status(), result.stderr());
        assertFalse(Files.exists(started), "the JVM was started");
        Path deploy = home.resolve("deploy").toRealPath();
        assertTrue(result.stderr().contains(deploy + " is writable by every user"), result.stderr());
        assertTrue(result.stderr().contains("chmod o-w " + deploy), result.stderr());
    }

    @Test
    void aLauncherJarThatEveryUserCanWriteIsRefused() throws Exception {
        Path launcher = home.resolve("bin/felix.jar");
        chmod(launcher, "rw-rw-rw-");

        Result result = run();

        assertEquals(1, result.status(), result.stderr());
        assertFalse(Files.exists(started), "the JVM was started");
        assertTrue(result.stderr().contains("chmod o-w " + launcher.toRealPath()), result.stderr());
    }

    @Test
    void aDirectoryAboveTheInstallationThatEveryUserCanWriteIsRefusedUnlessSticky() throws Exception {
        chmod(tmp, "rwxrwxrwx");

        Result refused = run();

        assertEquals(1, refused.status(), refused.stderr());
        assertTrue(refused.stderr().contains("chmod o-w " + tmp.toRealPath()), refused.stderr());

        // like /tmp: others may add entries but cannot rename or remove the installation
        Files.setAttribute(tmp, "unix:mode", 01777);

        Result accepted = run();

        assertEquals(0, accepted.status(), accepted.stderr());
        assertTrue(Files.exists(started), "the JVM was not started: " + accepted.stderr());
    }

    @Test
    void theCheckThatBothScriptsSourceIsRefusedWhenEveryUserCanWriteIt() throws Exception {
        Path check = home.resolve("bin/installation-check.sh");
        chmod(check, "rwxrwxrwx");

        for (Result result : List.of(run(), runWg())) {
            assertEquals(1, result.status(), result.stderr());
            assertTrue(result.stderr().contains("chmod o-w " + check), result.stderr());
        }
        assertFalse(Files.exists(started), "a JVM was started");
    }

    @Test
    void theUserspaceInterfaceStartsFromASafeInstallationAndRefusesAJarEveryUserCanWrite() throws Exception {
        Result safe = runWg();

        assertEquals(0, safe.status(), safe.stderr());
        assertTrue(Files.exists(started), "the JVM was not started: " + safe.stderr());

        Files.delete(started);
        Path jar = home.resolve("bundle/wirehaven-wireguard-1.jar");
        chmod(jar, "rw-rw-rw-");

        Result refused = runWg();

        assertEquals(1, refused.status(), refused.stderr());
        assertFalse(Files.exists(started), "the JVM was started");
        assertTrue(
                refused.stderr().contains("wirehaven-wg: " + jar.toRealPath() + " is writable by every user"),
                refused.stderr());
        assertTrue(refused.stderr().contains("chmod o-w " + jar.toRealPath()), refused.stderr());
    }

    /** {@code bin/wirehaven-wg --stats wg0}: the quickest call that starts its JVM. */
    private Result runWg() throws Exception {
        return run(home.resolve("bin/wirehaven-wg").toString(), "--stats", "wg0");
    }

    private Result run() throws Exception {
        return run(home.resolve("bin/wirehaven").toString(), "--no-shell");
    }

    private Result run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(tmp.resolve("stderr").toFile());
        builder.environment().put("JAVA_HOME", tmp.resolve("jdk").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
        return new Result(process.exitValue(), Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    private record Result(int status, String stderr) {}

    private static Path chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }
}
