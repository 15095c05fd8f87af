package dev.wirehaven.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The unpacked server distribution that the build put under {@code target/dist/} (system property
 * {@code wirehaven.dist}), and the zip it came from ({@code wirehaven.dist.zip}).
 *
 * <p>The Pax Exam tests take their bundles from here rather than from the local Maven repository, so
 * that they run exactly the files that ship, and so that a plain {@code ./mvnw verify} works before
 * anything was installed.
 */
public final class Distribution {

    public static final String HOME_PROPERTY = "wirehaven.dist";
    public static final String ZIP_PROPERTY = "wirehaven.dist.zip";
    public static final String WORK_PROPERTY = "wirehaven.itests.work";
    public static final String TEST_BUNDLES_PROPERTY = "wirehaven.itests.testBundles";

    private Distribution() {}

    public static Path home() {
        Path home = Paths.get(required(HOME_PROPERTY)).toAbsolutePath();
        if (!Files.isDirectory(home.resolve("bundle"))) {
            throw new IllegalStateException(home + " has no bundle/ directory: run the itests through Maven"
                    + " (./mvnw -pl itests verify), which unpacks the distribution zip there first");
        }
        return home;
    }

    public static Path zip() {
        Path zip = Paths.get(required(ZIP_PROPERTY)).toAbsolutePath();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(
                    zip + " is missing: run the itests through Maven, which copies the zip there");
        }
        return zip;
    }

    /** A scratch directory under {@code target/}, kept after the run for the post-mortem. */
    public static Path work(String name) {
        String base = System.getProperty(WORK_PROPERTY, "target/itests-work");
        Path dir = Paths.get(base, name).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #work} emptied first: a test that unpacks a distribution starts from nothing. */
    public static Path freshWork(String name) {
        Path dir = work(name);
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A TCP port that was free a moment ago (for a server the test starts). */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every jar of {@code bundle/}: what the launcher installs and starts. */
    public static List<Path> runtimeBundles() {
        return jars(home().resolve("bundle"));
    }

    /** The runtime bundle of one Maven artifact, whatever its version: {@code bundle/<artifactId>-<version>.jar}. */
    public static Path runtimeBundle(String artifactId) {
        return single(home().resolve("bundle"), artifactId);
    }

    /**
     * A test-support bundle ({@code wirehaven-tun-testing}, {@code wirehaven-wireguard-testing}): not part
     * of the distribution, so the build copies it beside it, to {@code target/test-bundles/<artifactId>.jar}.
     */
    public static Path testSupportBundle(String artifactId) {
        Path jar = Paths.get(required(TEST_BUNDLES_PROPERTY)).toAbsolutePath().resolve(artifactId + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the itests through Maven, which copies the"
                    + " test-support bundles there (and declare the artifact in the itests pom)");
        }
        return jar;
    }

    /** A plugin example of {@code plugins/examples/}, whatever its version. */
    public static Path pluginExample(String artifactId) {
        return single(home().resolve("plugins").resolve("examples"), artifactId);
    }

    private static Path single(Path dir, String artifactId) {
        Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-\\d[^/]*\\.jar");
        List<Path> matches = jars(dir).stream()
                .filter(jar -> name.matcher(jar.getFileName().toString()).matches())
                .collect(Collectors.toList());
        if (matches.size() != 1) {
            throw new IllegalStateException(
                    "expected one " + artifactId + "-<version>.jar in " + dir + ", found " + matches);
        }
        return matches.get(0);
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("system property " + property + " is not set: run the itests through Maven"
                    + " (./mvnw -pl itests verify), whose failsafe configuration sets it");
        }
        return value;
    }
}
