package dev.wirehaven.interfaces.internal.wgquickimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirehaven.interfaces.internal.wireguard.InterfaceSettings;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.wireguard.wgquick.InterfaceSection;
import dev.wirehaven.wireguard.wgquick.WgQuickConfig;
import dev.wirehaven.wireguard.wgquick.WgQuickFormatException;
import dev.wirehaven.wireguard.wgquick.WgQuickParser;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * The wg-quick import (and with it the SDK's wg-quick parser) on any file: {@code import-wg-quick}
 * either writes a configuration that the server reads back to exactly the file's settings, or
 * refuses with an {@link ImportException} and writes nothing; nothing else comes out of it.
 *
 * <p>"Reads back": the written {@code .cfg}, read by FileInstall's own parser as the server does, is
 * plain ASCII, is accepted by {@link InterfaceSettings#from}, and gives the hooks exactly as wg-quick
 * would run them (the escaping of {@link CfgFileText} is what keeps {@code ${var}}, backslashes and
 * non-ASCII commands intact), the file's addresses and as many static peers as the file has.
 *
 * <p>Regression mode runs {@code WgQuickImportFuzzTestInputs/importFile}: the seed's server example,
 * the files of {@code WgQuickImportTest}, wg-quick's own example and the findings ({@code
 * postup-dollar-underscore-underscore}: FileInstall reads {@code $__} as {@code $}). Fuzzing mode: see the
 * README.
 */
class WgQuickImportFuzzTest {

    /** One directory for the whole run (each input empties it again), in memory where there is a RAM disk. */
    @TempDir(factory = RamDiskFirst.class)
    static Path tmp;

    @FuzzTest(maxDuration = "5m")
    void importFile(byte[] input) throws IOException {
        Path home = tmp.resolve("home");
        Path etc = home.resolve("etc");
        Path data = home.resolve("data");
        Path source = tmp.resolve("wg0.conf");
        Files.write(source, input);
        try {
            check(new WgQuickImport(etc, data), source, etc, data);
        } finally {
            deleteTree(home);
        }
    }

    /**
     * The temporary directory on {@code /dev/shm} when the machine has that RAM disk, else the usual one.
     * The import forces every key file it writes to disk (as it should: a key is not lost in a crash); on
     * a disk each forced write waits 10 to 40 ms, which made a successful import cost as much as hundreds
     * of refused ones. The files are still real files (owner-only permissions, renames, the checks that a
     * refusal writes nothing); only the wait for the disk is gone.
     */
    static final class RamDiskFirst implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension)
                throws IOException {
            Path ram = Path.of("/dev/shm");
            return Files.isDirectory(ram) && Files.isWritable(ram)
                    ? Files.createTempDirectory(ram, "wg-quick-import-fuzz")
                    : Files.createTempDirectory("wg-quick-import-fuzz");
        }
    }

    private static void check(WgQuickImport importer, Path source, Path etc, Path data) throws IOException {
        String report;
        try {
            report = importer.run(new WgQuickImport.Request(source, null, false));
        } catch (ImportException e) {
            assertFalse(e.getMessage().isBlank(), "a refusal says why");
            assertEquals(List.of(), files(etc), "a refused import writes nothing into etc/");
            assertEquals(List.of(), files(data), "a refused import writes nothing into data/");
            return;
        }
        assertFalse(report.isBlank());
        WgQuickConfig parsed;
        try {
            parsed = WgQuickParser.parse(source.toString(), Files.readString(source, StandardCharsets.UTF_8));
        } catch (WgQuickFormatException e) {
            throw new AssertionError("imported a file that the wg-quick parser refuses: " + e.getMessage(), e);
        }
        Path cfg = importer.configurationFile("wg0");
        String text = Files.readString(cfg, StandardCharsets.ISO_8859_1);
        assertTrue(text.chars().allMatch(c -> c < 0x80), "FileInstall reads ISO-8859-1: the file is plain ASCII");
        TypedProperties typed = new TypedProperties((name, key, value) -> "<substituted " + value + ">");
        typed.load(new StringReader(text));
        Map<String, Object> properties = new HashMap<>(typed);
        properties.put("service.pid", InterfaceSettings.FACTORY_PID + "~wg0");
        properties.put(ConfigurationOrigin.FILEINSTALL_FILENAME, cfg.toUri().toString());
        InterfaceSettings settings = InterfaceSettings.from(properties, data);

        InterfaceSection s = parsed.iface();
        assertEquals("wg0", settings.name());
        assertEquals(commands(s.preUp()), settings.preUp(), "preUp");
        assertEquals(commands(s.preDown()), settings.preDown(), "preDown");
        assertEquals(commands(s.postDown()), settings.postDown(), "postDown");
        List<String> postUp = settings.postUp();
        List<String> filePostUp = commands(s.postUp());
        // a Table other than auto and off puts its routes first (WgQuickImport.routes)
        assertTrue(postUp.size() >= filePostUp.size(), "postUp");
        assertEquals(filePostUp, postUp.subList(postUp.size() - filePostUp.size(), postUp.size()), "postUp");
        assertEquals(s.addresses(), settings.addresses(), "addresses");
        assertEquals(parsed.peers().size(), settings.peers().size(), "peers");
        assertTrue(Files.isRegularFile(settings.privateKeyFile()), "the private key file is written");
    }

    /** The commands of a hook as the server runs them: one per line, blank ones left out. */
    private static List<String> commands(List<String> hook) {
        return hook.stream()
                .flatMap(c -> Stream.of(c.split("\\r?\\n")))
                .filter(c -> !c.isBlank())
                .map(String::strip)
                .toList();
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
