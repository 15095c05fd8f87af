package dev.wirehaven.operations.internal.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.files.InstallationPermissions;
import dev.wirehaven.server.support.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server says at start about an installation that others can change: one WARN per path,
 * naming it and the command that fixes it. On a real tree in a temporary directory (the distribution's
 * layout and modes); which paths count is {@code InstallationPermissionsTest}'s subject.
 */
class InstallationCheckTest {

    @TempDir
    Path tmp;

    private Path home;

    @BeforeEach
    void layout() throws IOException {
        home = tmp.resolve("wirehaven");
        for (String dir : List.of("bin", "bundle", "deploy")) {
            Files.createDirectories(home.resolve(dir));
            chmod(home.resolve(dir), "rwxr-xr-x");
        }
        Files.createDirectories(home.resolve("etc"));
        chmod(home.resolve("etc"), "rwx------");
        chmod(home, "rwxr-xr-x");
        chmod(Files.writeString(home.resolve("bundle/a.jar"), "x"), "rw-r--r--");
    }

    @Test
    void anInstallationThatOnlyRootCanChangeLogsNoWarning() {
        try (LogCapture log = new LogCapture(InstallationCheck.class)) {
            new InstallationCheck(home, new InstallationPermissions("root"));

            assertEquals(List.of(), warnings(log));
        }
    }

    @Test
    void eachPathThatOthersCanChangeIsOneWarningWithItsFixAndWhatItMeansForRoot() throws IOException {
        chmod(home.resolve("deploy"), "rwxrwxrwx");
        chmod(home.resolve("bundle/a.jar"), "rw-rw-rw-");

        try (LogCapture log = new LogCapture(InstallationCheck.class)) {
            new InstallationCheck(home, new InstallationPermissions("root"));

            List<String> warnings = warnings(log);
            assertEquals(2, warnings.size(), warnings.toString());
            String jar = home.resolve("bundle/a.jar").toString();
            String deploy = home.resolve("deploy").toString();
            assertTrue(warnings.get(0).contains(jar + " is writable by every user"), warnings.get(0));
            assertTrue(warnings.get(0).contains("Run: chmod o-w " + jar), warnings.get(0));
            assertTrue(warnings.get(1).contains(deploy + " is writable by every user"), warnings.get(1));
            assertTrue(warnings.get(1).contains("run code as root"), warnings.get(1));
            assertTrue(warnings.get(1).contains("Run: chmod o-w " + deploy), warnings.get(1));
        }
    }

    @Test
    void aServerThatDoesNotRunAsRootNamesItsOwnUser() throws IOException {
        chmod(home.resolve("deploy"), "rwxrwxrwx");

        try (LogCapture log = new LogCapture(InstallationCheck.class)) {
            // the files are root's, which the check allows whoever the server runs as
            new InstallationCheck(home, new InstallationPermissions("nobody"));

            List<String> warnings = warnings(log);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("as the server's user nobody"), warnings.get(0));
        }
    }

    @Test
    void anInstallationThatCannotBeReadIsOneWarningNotAFailedStart() {
        try (LogCapture log = new LogCapture(InstallationCheck.class)) {
            new InstallationCheck(tmp.resolve("missing"), new InstallationPermissions("root"));

            List<String> warnings = warnings(log);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(tmp.resolve("missing").toString()), warnings.get(0));
        }
    }

    private static List<String> warnings(LogCapture log) {
        return log.lines().stream().filter(l -> l.startsWith("WARN ")).toList();
    }

    private static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
}
