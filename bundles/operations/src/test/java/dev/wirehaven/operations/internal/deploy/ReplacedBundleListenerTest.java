package dev.wirehaven.operations.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.operations.internal.logging.RecordedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplacedBundleListenerTest {

    @TempDir
    Path home;

    private Path deploy;
    private ReplacedBundleListener listener;

    @BeforeEach
    void installation() throws IOException {
        deploy = Files.createDirectories(home.resolve("deploy"));
        listener = new ReplacedBundleListener(DeployDirectory.under(home.toString()));
    }

    @Test
    void aBundleOverwrittenByABrokenJarIsOfferedToFileInstallAgain() throws IOException {
        Path jar = SampleJars.text(deploy.resolve("plugin.jar"));
        long copied = modified(jar);

        try (RecordedLog log = new RecordedLog(ReplacedBundleListener.class)) {
            // FileInstall installed the bundle from the file's URL; it uninstalled it when the file stopped being a
            // bundle
            listener.uninstalled(jar.toUri().toString(), "org.example.plugin 1.0.0");

            assertTrue(
                    modified(jar) >= copied + FileInstallRescan.STEP_MILLIS,
                    "FileInstall must see a new version of the file");
            assertEquals(
                    List.of("INFO FileInstall uninstalled the bundle org.example.plugin 1.0.0 because " + jar
                            + " was replaced by a file that is not a bundle"),
                    log.lines());
        }
    }

    @Test
    void anUninstalledBundleWhoseFileIsABundleGoneOrElsewhereIsNoneOfItsBusiness() throws IOException {
        Path bundle = SampleJars.bundle(deploy.resolve("bundle.jar"), "org.example.bundle");
        Path elsewhere =
                SampleJars.text(Files.createDirectories(home.resolve("bundle")).resolve("x.jar"));
        long bundleModified = modified(bundle);
        long elsewhereModified = modified(elsewhere);

        try (RecordedLog log = new RecordedLog(ReplacedBundleListener.class)) {
            listener.uninstalled(bundle.toUri().toString(), "org.example.bundle 1.0.0");
            listener.uninstalled(deploy.resolve("deleted.jar").toUri().toString(), "org.example.deleted 1.0.0");
            listener.uninstalled(elsewhere.toUri().toString(), "org.example.elsewhere 1.0.0");
            listener.uninstalled("itest:wirehaven-example-monitor-log", "dev.wirehaven.example-monitor-log 0.1.0");

            assertEquals(List.of(), log.lines());
        }
        assertEquals(bundleModified, modified(bundle));
        assertEquals(elsewhereModified, modified(elsewhere));
    }

    @Test
    void onlyFileLocationsNameAFile() {
        assertEquals(
                Optional.of(Path.of("/opt/wirehaven/deploy/a b.jar")),
                ReplacedBundleListener.fileOf("file:/opt/wirehaven/deploy/a%20b.jar"));
        assertEquals(Optional.empty(), ReplacedBundleListener.fileOf("reference:file:/opt/wirehaven/bundle/x.jar"));
        assertEquals(Optional.empty(), ReplacedBundleListener.fileOf("mvn:org.example/x/1.0"));
        assertEquals(Optional.empty(), ReplacedBundleListener.fileOf("file:relative/x.jar"));
        assertEquals(Optional.empty(), ReplacedBundleListener.fileOf(null));
    }

    private static long modified(Path file) throws IOException {
        return Files.getLastModifiedTime(file).toMillis();
    }
}
