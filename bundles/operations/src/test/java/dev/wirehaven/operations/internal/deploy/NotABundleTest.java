package dev.wirehaven.operations.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.wirehaven.operations.internal.deploy.NotABundle.Reason;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.apache.felix.fileinstall.internal.BundleTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotABundleTest {

    @TempDir
    Path tmp;

    @Test
    void aTextFileNamedJarIsNotAReadableJar() throws IOException {
        NotABundle verdict =
                NotABundle.check(SampleJars.text(tmp.resolve("x.jar")).toFile()).orElseThrow();
        assertEquals(Reason.NOT_A_JAR, verdict.reason());
        assertTrue(verdict.problem().startsWith("is not a readable jar ("), verdict.problem());
    }

    @Test
    void anEmptyFileIsNotAReadableJar() throws IOException {
        assertEquals(Reason.NOT_A_JAR, reasonOf(SampleJars.empty(tmp.resolve("empty.jar"))));
    }

    @Test
    void aZipWithoutManifestHasNoOsgiManifest() throws IOException {
        NotABundle verdict = NotABundle.check(
                        SampleJars.zipWithoutManifest(tmp.resolve("z.jar")).toFile())
                .orElseThrow();
        assertEquals(Reason.NO_MANIFEST, verdict.reason());
        assertEquals(
                "has no OSGi manifest (Bundle-SymbolicName): the jar has no META-INF/MANIFEST.MF", verdict.problem());
    }

    @Test
    void aPlainLibraryJarHasNoOsgiManifest() throws IOException {
        NotABundle verdict = NotABundle.check(
                        SampleJars.plainJar(tmp.resolve("lib.jar")).toFile())
                .orElseThrow();
        assertEquals(Reason.NO_SYMBOLIC_NAME, verdict.reason());
        assertTrue(verdict.problem().startsWith("has no OSGi manifest (Bundle-SymbolicName)"), verdict.problem());
        assertTrue(
                verdict.remedy().startsWith("Replace it with an OSGi bundle built for Wirehaven (see plugin-examples"),
                verdict.remedy());
    }

    @Test
    void aManifestThatCannotBeParsedMakesTheJarUnreadable() throws IOException {
        NotABundle verdict = NotABundle.check(
                        SampleJars.malformedManifest(tmp.resolve("m.jar")).toFile())
                .orElseThrow();
        assertEquals(Reason.UNREADABLE_MANIFEST, verdict.reason());
        assertTrue(
                verdict.problem().startsWith("is not a readable jar: its META-INF/MANIFEST.MF cannot be parsed ("),
                verdict.problem());
    }

    @Test
    void aBundleIsNothingToReport() throws IOException {
        assertEquals(
                Optional.empty(),
                NotABundle.check(
                        SampleJars.bundle(tmp.resolve("b.jar"), "org.example.b").toFile()));
    }

    @Test
    void aFileTheServerCannotReadIsReportedAsSuch() throws IOException {
        Path file = SampleJars.bundle(tmp.resolve("secret.jar"), "org.example.secret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "the test runs as a user who reads every file (root)");

        NotABundle verdict = NotABundle.check(file.toFile()).orElseThrow();
        assertEquals(Reason.UNREADABLE_FILE, verdict.reason());
        assertEquals("cannot be read by the server", verdict.problem());
        assertTrue(verdict.remedy().contains("owner and permissions"), verdict.remedy());
    }

    /**
     * The whole point of the check: on every sample, exactly one of FileInstall's own bundle
     * handling and the check takes the file. Neither silence nor a stolen bundle.
     */
    @Test
    void everyFileIsEitherFileInstallsBundleOrReportedNeverBothNeverNeither() throws IOException {
        BundleTransformer fileInstall = new BundleTransformer();
        List<Path> samples = List.of(
                SampleJars.text(tmp.resolve("text.jar")),
                SampleJars.empty(tmp.resolve("empty.jar")),
                SampleJars.zipWithoutManifest(tmp.resolve("zip.jar")),
                SampleJars.plainJar(tmp.resolve("plain.jar")),
                SampleJars.malformedManifest(tmp.resolve("malformed.jar")),
                SampleJars.bundle(tmp.resolve("bundle.jar"), "org.example.bundle"));
        for (Path sample : samples) {
            File file = sample.toFile();
            boolean bundle = fileInstall.canHandle(file);
            boolean reported = NotABundle.check(file).isPresent();
            assertNotEquals(
                    bundle,
                    reported,
                    sample.getFileName() + ": FileInstall takes it " + bundle + ", reported " + reported);
        }
    }

    private static Reason reasonOf(Path file) {
        return NotABundle.check(file.toFile()).orElseThrow().reason();
    }
}
