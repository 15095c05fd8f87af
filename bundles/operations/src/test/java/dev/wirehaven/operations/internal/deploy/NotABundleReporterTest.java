package dev.wirehaven.operations.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.operations.internal.logging.RecordedLog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotABundleReporterTest {

    @TempDir
    Path home;

    private Path deploy;
    private NotABundleReporter reporter;

    @BeforeEach
    void installation() throws IOException {
        deploy = Files.createDirectories(home.resolve("deploy"));
        reporter = new NotABundleReporter(DeployDirectory.under(home.toString()));
    }

    @Test
    void itTakesTheJarsOfDeployThatAreNotBundlesAndLeavesTheBundlesToFileInstall() throws IOException {
        assertTrue(reporter.canHandle(SampleJars.text(deploy.resolve("x.jar")).toFile()));
        assertTrue(reporter.canHandle(
                SampleJars.plainJar(deploy.resolve("lib.jar")).toFile()));
        assertFalse(reporter.canHandle(SampleJars.bundle(deploy.resolve("plugin.jar"), "org.example.plugin")
                .toFile()));
    }

    @Test
    void itLeavesAloneWhatIsNotAJarOfDeploy() throws IOException {
        Path elsewhere = Files.createDirectories(home.resolve("lib"));
        assertFalse(
                reporter.canHandle(SampleJars.text(elsewhere.resolve("x.jar")).toFile()));
        assertFalse(
                reporter.canHandle(SampleJars.text(deploy.resolve("notes.txt")).toFile()));
        assertFalse(reporter.canHandle(
                Files.createDirectories(deploy.resolve("exploded.jar")).toFile()));
    }

    @Test
    void aBrokenJarIsOneErrorNamingTheFileTheProblemAndTheRemedy() throws IOException {
        File jar = SampleJars.text(deploy.resolve("x.jar")).toFile();
        try (RecordedLog log = new RecordedLog(NotABundleReporter.class)) {
            reporter.install(jar);

            List<String> lines = log.lines();
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.get(0);
            assertTrue(line.startsWith("ERROR Cannot deploy " + jar + ": it is not a readable jar ("), line);
            assertTrue(line.contains("Replace it with an OSGi bundle built for Wirehaven (see plugin-examples"), line);
            assertTrue(line.endsWith("The server carries on without it."), line);
        }
    }

    @Test
    void aJarWithoutOsgiHeadersIsReportedAsSuch() throws IOException {
        File jar = SampleJars.plainJar(deploy.resolve("lib.jar")).toFile();
        try (RecordedLog log = new RecordedLog(NotABundleReporter.class)) {
            reporter.install(jar);
            assertTrue(
                    log.lines().get(0).contains(jar + ": it has no OSGi manifest (Bundle-SymbolicName)"),
                    log.lines().toString());
        }
    }

    @Test
    void eachVersionOfTheFileIsReportedOnce() throws IOException {
        Path jar = SampleJars.text(deploy.resolve("x.jar"));
        try (RecordedLog log = new RecordedLog(NotABundleReporter.class)) {
            reporter.install(jar.toFile());
            reporter.update(jar.toFile());
            assertEquals(1, log.lines().size(), log.lines().toString());

            SampleJars.plainJar(jar);
            Files.setLastModifiedTime(
                    jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
            reporter.update(jar.toFile());
            assertEquals(2, log.lines().size(), log.lines().toString());
            assertTrue(
                    log.lines().get(1).startsWith("ERROR Cannot deploy " + jar + ": it has no OSGi manifest"),
                    log.lines().toString());
        }
    }

    @Test
    void removingTheJarIsOneInfoLine() throws IOException {
        Path jar = SampleJars.text(deploy.resolve("x.jar"));
        reporter.install(jar.toFile());
        Files.delete(jar);
        try (RecordedLog log = new RecordedLog(NotABundleReporter.class)) {
            reporter.uninstall(jar.toFile());
            assertEquals(
                    List.of("INFO " + jar
                            + " was removed from deploy/; it had not been deployed (it was not an OSGi bundle)"),
                    log.lines());
        }
    }

    @Test
    void aJarReplacedByABundleIsHandedBackToFileInstallAsAChangedFile() throws IOException {
        Path jar = SampleJars.text(deploy.resolve("x.jar"));
        reporter.install(jar.toFile());
        SampleJars.bundle(jar, "org.example.fixed");
        long replaced = Files.getLastModifiedTime(jar).toMillis();

        try (RecordedLog log = new RecordedLog(NotABundleReporter.class)) {
            // what FileInstall does once the reporter no longer accepts the changed file
            reporter.uninstall(jar.toFile());

            assertTrue(
                    Files.getLastModifiedTime(jar).toMillis() >= replaced + FileInstallRescan.STEP_MILLIS,
                    "the modification time must move on, so that FileInstall's scanner sees a new version");
            assertEquals(
                    List.of("INFO " + jar
                            + " is now an OSGi bundle; FileInstall installs it at its next scan of deploy/"),
                    log.lines());
        }
        // and after the hand-over the file is FileInstall's: a fresh install of the same file reports nothing new
        assertFalse(reporter.canHandle(jar.toFile()));
    }
}
