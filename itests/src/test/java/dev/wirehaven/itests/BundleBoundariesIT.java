package dev.wirehaven.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture, checked on the bundles as they ship (their OSGi manifests, which bnd computed from
 * the byte code, so that no import can hide): who may depend on whom, and who exports what. A change
 * that crosses a boundary fails the build here with the package that crossed it.
 */
class BundleBoundariesIT {

    /** Packages of ours that a plugin may import: the SDK only. */
    private static final String API = "dev.wirehaven.api";

    @Test
    void pluginBundlesImportNothingOfOursButTheApi() throws IOException {
        List<Path> plugins = new ArrayList<>();
        try (Stream<Path> examples = Files.list(Distribution.home().resolve("plugins/examples"))) {
            examples.filter(p -> p.toString().endsWith(".jar")).forEach(plugins::add);
        }
        plugins.add(Distribution.runtimeBundle("wirehaven-auth-local"));
        assertFalse(plugins.isEmpty());
        for (Path plugin : plugins) {
            for (Map.Entry<String, String> imported :
                    ManifestPackages.imports(plugin).entrySet()) {
                String pkg = imported.getKey();
                if (!pkg.startsWith("dev.wirehaven.") || pkg.startsWith(API + ".")) {
                    continue;
                }
                // the local users' offline command line opens the embedded store through its published API,
                // on a plain class path; in the framework that import is optional and never used
                boolean offlineTool = pkg.equals("dev.wirehaven.store.embedded")
                        && imported.getValue().contains("resolution:=optional");
                assertTrue(
                        offlineTool,
                        plugin.getFileName() + " imports " + pkg + ": a plugin may import only " + API + ".*");
            }
        }
    }

    @Test
    void theProtocolKnowsNothingOfSessionsOrTheServer() throws IOException {
        Path wireguard = Distribution.runtimeBundle("wirehaven-wireguard");
        for (String pkg : ManifestPackages.imports(wireguard).keySet()) {
            // a bundle imports what it exports itself (substitutable exports): those are its own
            boolean own = ManifestPackages.exports(wireguard).containsKey(pkg);
            assertTrue(
                    own || !pkg.startsWith("dev.wirehaven.") || pkg.startsWith("dev.wirehaven.tun"),
                    "wirehaven-wireguard imports " + pkg + ": the protocol may use only the TUN SDK of ours");
        }
    }

    @Test
    void theTunDriverKnowsNothingOfTheProtocol() throws IOException {
        Path tun = Distribution.runtimeBundle("wirehaven-tun");
        for (String pkg : ManifestPackages.imports(tun).keySet()) {
            assertFalse(
                    pkg.startsWith("dev.wirehaven.")
                            && !ManifestPackages.exports(tun).containsKey(pkg),
                    "wirehaven-tun imports " + pkg + ": a driver imports none of ours");
        }
    }

    @Test
    void implementationBundlesExportOnlyTheirSpi() throws IOException {
        Map<String, List<String>> allowed = new TreeMap<>(Map.of(
                "wirehaven-sessions", List.of("dev.wirehaven.sessions.spi"),
                "wirehaven-store-embedded", List.of("dev.wirehaven.store.embedded"),
                "wirehaven-store-postgres", List.of(),
                "wirehaven-control-api", List.of(),
                "wirehaven-interfaces", List.of(),
                "wirehaven-auth-local", List.of(),
                "wirehaven-operations", List.of(),
                "wirehaven-console", List.of()));
        for (Map.Entry<String, List<String>> bundle : allowed.entrySet()) {
            List<String> exported =
                    new ArrayList<>(ManifestPackages.exports(Distribution.runtimeBundle(bundle.getKey()))
                            .keySet());
            assertEquals(bundle.getValue(), exported, bundle.getKey() + " exports");
        }
    }

    @Test
    void noBundleButTheSessionCoreOrTheControlApiUsesTheSessionsSpi() throws IOException {
        try (Stream<Path> jars = Files.list(Distribution.home().resolve("bundle"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("wirehaven-"))
                    .toList()) {
                String name = jar.getFileName().toString();
                if (name.startsWith("wirehaven-sessions-") || name.startsWith("wirehaven-control-api-")) {
                    continue;
                }
                assertFalse(
                        ManifestPackages.imports(jar).containsKey("dev.wirehaven.sessions.spi"),
                        name + " imports dev.wirehaven.sessions.spi");
            }
        }
    }

    @Test
    void testSupportShipsInNoDistribution() throws IOException {
        List<Path> shipped = new ArrayList<>(Distribution.runtimeBundles());
        try (Stream<Path> examples = Files.list(Distribution.home().resolve("plugins/examples"))) {
            examples.filter(p -> p.toString().endsWith(".jar")).forEach(shipped::add);
        }
        Path clientLib = Paths.get(System.getProperty("wirehaven.client.dist", "target/dist/none"))
                .resolve("lib");
        assertTrue(Files.isDirectory(clientLib), clientLib + " is missing: run the itests through Maven");
        try (Stream<Path> lib = Files.list(clientLib)) {
            lib.filter(p -> p.toString().endsWith(".jar")).forEach(shipped::add);
        }
        for (Path jar : shipped) {
            String name = jar.getFileName().toString();
            assertFalse(name.matches("wirehaven-.*-testing-.*"), name + " is test support: no distribution ships it");
            for (String pkg : ManifestPackages.imports(jar).keySet()) {
                assertFalse(
                        pkg.startsWith("dev.wirehaven.") && pkg.endsWith(".testing"),
                        name + " imports test support " + pkg);
            }
        }
    }

    @Test
    void testSupportBundlesExportOnlyTheirOwnPackageWhichNoShippedBundleSplits() throws IOException {
        Map<String, String> testing = Map.of(
                "wirehaven-tun-testing", "dev.wirehaven.tun.testing",
                "wirehaven-wireguard-testing", "dev.wirehaven.wireguard.testing",
                "wirehaven-client-testing", "dev.wirehaven.client.testing");
        for (Map.Entry<String, String> bundle : testing.entrySet()) {
            Map<String, String> exports = ManifestPackages.exports(Distribution.testSupportBundle(bundle.getKey()));
            assertEquals(List.of(bundle.getValue()), new ArrayList<>(exports.keySet()), bundle.getKey() + " exports");
            assertTrue(
                    exports.get(bundle.getValue()).contains("version="),
                    bundle.getKey() + " exports its package without a version");
        }
        for (Path jar : Distribution.runtimeBundles()) {
            for (String pkg : ManifestPackages.exports(jar).keySet()) {
                assertFalse(
                        testing.containsValue(pkg), jar.getFileName() + " exports " + pkg + ", a test-support package");
            }
        }
    }

    /** Import-Package and Export-Package of a bundle, package name to its attributes. */
    static final class ManifestPackages {

        private ManifestPackages() {}

        static Map<String, String> imports(Path jar) throws IOException {
            return header(jar, "Import-Package");
        }

        static Map<String, String> exports(Path jar) throws IOException {
            return header(jar, "Export-Package");
        }

        private static Map<String, String> header(Path jar, String name) throws IOException {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String value =
                        manifest == null ? null : manifest.getMainAttributes().getValue(name);
                return value == null ? new TreeMap<>() : parse(value);
            }
        }

        /** Splits a package header at the commas outside quotes; each clause is a package and its attributes. */
        private static Map<String, String> parse(String header) {
            Map<String, String> packages = new TreeMap<>();
            StringBuilder clause = new StringBuilder();
            boolean quoted = false;
            for (char c : (header + ",").toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                }
                if (c == ',' && !quoted) {
                    String text = clause.toString().trim();
                    int semicolon = text.indexOf(';');
                    packages.put(
                            semicolon < 0 ? text : text.substring(0, semicolon),
                            semicolon < 0 ? "" : text.substring(semicolon));
                    clause.setLength(0);
                } else {
                    clause.append(c);
                }
            }
            return packages;
        }
    }
}
