package dev.wirehaven.operations.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void itIsDeployUnderTheHomeOrUnderTheWorkingDirectory() {
        assertEquals(
                tmp.resolve("deploy"), DeployDirectory.under(tmp.toString()).path());
        assertEquals(
                Path.of("deploy").toAbsolutePath(), DeployDirectory.under(null).path());
        assertEquals(
                Path.of("deploy").toAbsolutePath(), DeployDirectory.under("  ").path());
    }

    @Test
    void itHoldsTheFilesDirectlyInsideItAndNothingElse() throws IOException {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Path other = Files.createDirectories(tmp.resolve("etc"));
        Path nested = Files.createDirectories(deploy.resolve("sub"));
        DeployDirectory directory = DeployDirectory.under(tmp.toString());

        assertTrue(directory.holds(Files.createFile(deploy.resolve("a.jar")).toFile()));
        assertFalse(directory.holds(Files.createFile(other.resolve("a.jar")).toFile()));
        assertFalse(directory.holds(Files.createFile(nested.resolve("a.jar")).toFile()));
    }

    @Test
    void aHomeReachedThroughASymbolicLinkHoldsTheFilesFileInstallSees() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("opt/wirehaven-1.0/deploy"));
        Path link = Files.createSymbolicLink(tmp.resolve("wirehaven"), tmp.resolve("opt/wirehaven-1.0"));
        Path jar = Files.createFile(real.resolve("x.jar"));

        // FileInstall canonicalises its directory; the property may name the installation through the link
        assertTrue(DeployDirectory.under(link.toString()).holds(jar.toRealPath().toFile()));
    }

    @Test
    void aMissingDirectoryHoldsNothing() {
        assertFalse(DeployDirectory.under(tmp.resolve("nowhere").toString())
                .holds(tmp.resolve("nowhere/deploy/x.jar").toFile()));
    }
}
