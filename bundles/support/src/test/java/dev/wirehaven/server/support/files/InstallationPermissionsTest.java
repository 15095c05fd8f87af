package dev.wirehaven.server.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.server.support.files.InstallationPermissions.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installation check on a real tree with real modes and owners. The tests run as root, which the
 * permissions themselves do not stop; the check reads the mode bits and owners, which root cannot
 * ignore. The tree is the distribution's layout (modes as the zip ships them):
 *
 * <pre>
 *   tmp/ (JUnit's, rwx------)
 *   └── opt/ (rwxr-xr-x)
 *       └── wirehaven/            rwxr-xr-x
 *           ├── bin/wirehaven     rwxr-xr-x   bin/felix.jar rw-r--r--
 *           ├── bundle/a.jar      rw-r--r--
 *           ├── deploy/p.jar      rw-r--r--
 *           ├── etc/config.properties rw-------   (etc/ rwx------)
 *           └── data/             rwx------
 * </pre>
 */
class InstallationPermissionsTest {

    @TempDir
    Path tmp;

    private Path home;
    private final InstallationPermissions asRoot = new InstallationPermissions("root");

    @BeforeEach
    void layout() throws IOException {
        home = directory(tmp.resolve("opt/wirehaven"), "rwxr-xr-x");
        directory(tmp.resolve("opt"), "rwxr-xr-x");
        file(directory(home.resolve("bin"), "rwxr-xr-x").resolve("wirehaven"), "rwxr-xr-x");
        file(home.resolve("bin/felix.jar"), "rw-r--r--");
        file(directory(home.resolve("bundle"), "rwxr-xr-x").resolve("a.jar"), "rw-r--r--");
        file(directory(home.resolve("deploy"), "rwxr-xr-x").resolve("p.jar"), "rw-r--r--");
        file(directory(home.resolve("etc"), "rwx------").resolve("config.properties"), "rw-------");
        directory(home.resolve("data"), "rwx------");
    }

    @Test
    void theShippedLayoutHasNoFinding() throws IOException {
        assertEquals(List.of(), asRoot.check(home));
    }

    @Test
    void aDeployFolderThatEveryUserCanWriteIsReportedWithChmod() throws IOException {
        // the hot deploy folder: a jar put there runs as root within a second
        chmod(home.resolve("deploy"), "rwxrwxrwx");

        assertEquals(
                List.of(new Finding(
                        home.resolve("deploy"), "is writable by every user", "chmod o-w " + home.resolve("deploy"))),
                asRoot.check(home));
    }

    @Test
    void aBundleThatItsGroupCanWriteIsReportedWithTheGroupsName() throws IOException {
        Path jar = home.resolve("bundle/a.jar");
        chgrp(jar, "staff");
        chmod(jar, "rw-rw-r--");

        assertEquals(
                List.of(new Finding(jar, "is writable by the group staff", "chmod g-w " + jar)), asRoot.check(home));
    }

    @Test
    void writeAccessOfTheGroupRootGrantsNothingAndIsNotReported() throws IOException {
        chmod(home.resolve("bundle"), "rwxrwxr-x");

        assertEquals(List.of(), asRoot.check(home));
    }

    @Test
    void aConfigurationFileOfAnotherUserIsReportedWithChown() throws IOException {
        Path file = home.resolve("etc/config.properties");
        Files.setOwner(file, lookup().lookupPrincipalByName("nobody"));

        assertEquals(
                List.of(new Finding(file, "belongs to the user nobody", "chown root " + file)), asRoot.check(home));
    }

    @Test
    void oneFindingPerPathNamesEveryProblemAndEveryFix() throws IOException {
        Path launcher = home.resolve("bin/felix.jar");
        chgrp(launcher, "staff");
        chmod(launcher, "rw-rw-rw-");
        Files.setOwner(launcher, lookup().lookupPrincipalByName("nobody"));

        assertEquals(
                List.of(new Finding(
                        launcher,
                        "is writable by every user and is writable by the group staff and belongs to the user nobody",
                        "chmod go-w " + launcher + "; chown root " + launcher)),
                asRoot.check(home));
    }

    @Test
    void aDirectoryAboveTheInstallationThatEveryUserCanWriteIsReported() throws IOException {
        // whoever can write to opt/ can rename wirehaven/ and put a tree of their own in its place
        chmod(tmp.resolve("opt"), "rwxrwxrwx");

        List<Finding> findings = asRoot.check(home);

        assertEquals(
                List.of(new Finding(
                        tmp.resolve("opt").toRealPath(),
                        "is writable by every user",
                        "chmod o-w " + tmp.resolve("opt").toRealPath())),
                findings);
    }

    @Test
    void aStickyDirectoryAboveTheInstallationLikeTmpIsNotReported() throws IOException {
        // others may add entries to a sticky directory but not rename or remove the installation's
        Files.setAttribute(tmp.resolve("opt"), "unix:mode", 01777);

        assertEquals(List.of(), asRoot.check(home));
    }

    @Test
    void theStickyBitDoesNotExcuseADirectoryOfTheInstallation() throws IOException {
        // in deploy/ a new jar is all it takes; the sticky bit does not stop anyone adding one
        Files.setAttribute(home.resolve("deploy"), "unix:mode", 01777);

        assertEquals(
                List.of(home.resolve("deploy")),
                asRoot.check(home).stream().map(Finding::path).toList());
    }

    @Test
    void aLinkedJarIsJudgedByTheFileItLoads() throws IOException {
        Path elsewhere = file(tmp.resolve("plugin.jar"), "rw-rw-rw-");
        Path link = Files.createSymbolicLink(home.resolve("deploy/linked.jar"), elsewhere);

        assertEquals(
                List.of(link), asRoot.check(home).stream().map(Finding::path).toList());
    }

    @Test
    void aServerThatRunsAsItsOwnUserMayOwnItsInstallation() throws IOException {
        InstallationPermissions asWirehaven = new InstallationPermissions("nobody");
        Files.setOwner(home.resolve("deploy"), lookup().lookupPrincipalByName("nobody"));
        Path jar = home.resolve("bundle/a.jar");
        Files.setOwner(jar, lookup().lookupPrincipalByName("daemon"));

        assertFalse(asWirehaven.runsAsRoot());
        assertTrue(asRoot.runsAsRoot());
        assertEquals(
                List.of(new Finding(jar, "belongs to the user daemon", "chown nobody " + jar)),
                asWirehaven.check(home));
    }

    @Test
    void missingPartsOfTheLayoutAreSkipped() throws IOException {
        Path bare = directory(tmp.resolve("bare"), "rwxr-xr-x");

        assertEquals(List.of(), asRoot.check(bare));
    }

    @Test
    void theCurrentUserIsTheOneThisProcessRunsAs() {
        // the tests run as root (see the class comment); a build as another user sees its own name
        assertEquals(System.getProperty("user.name"), InstallationPermissions.currentUser());
    }

    private static Path directory(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        chmod(dir, mode);
        return dir;
    }

    private static Path file(Path file, String mode) throws IOException {
        Files.writeString(file, "x");
        chmod(file, mode);
        return file;
    }

    private static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static void chgrp(Path path, String group) throws IOException {
        GroupPrincipal principal = lookup().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
    }

    private static UserPrincipalLookupService lookup() {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService();
    }
}
