package dev.wirehaven.interfaces.internal.wgquickimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportMainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ImportMain.run(
                List.of(args),
                tmp.resolve("home"),
                null,
                tmp,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aRelativeFileIsReadFromTheWorkingDirectoryAndWrittenIntoTheHome() throws IOException {
        Files.writeString(
                tmp.resolve("server.conf"),
                "[Interface]\nPrivateKey = " + Keys.generatePrivate().toBase64()
                        + "\nAddress = 10.0.0.1/24\nListenPort = 51820\n");

        int status = run("server.conf", "--name", "wg7");

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(
                out.toString(StandardCharsets.UTF_8)
                        .startsWith("Imported " + tmp.resolve("server.conf") + " as WireGuard interface wg7:\n"),
                out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(tmp.resolve("home/etc/dev.wirehaven.wireguard.interface-wg7.cfg")));
        assertTrue(Files.exists(tmp.resolve("home/data/keys/wg7.key")));
    }

    @Test
    void aRefusedImportExitsWithOneAndSaysWhyOnStandardError() {
        int status = run("missing.conf");

        assertEquals(1, status);
        assertEquals(
                "wirehaven import-wg-quick: " + tmp.resolve("missing.conf") + " does not exist; give the path of a"
                        + " wg-quick file such as /etc/wireguard/wg0.conf\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wrongArgumentsExitWithTwoAndTheUsage() {
        int status = run("--name");

        assertEquals(2, status);
        assertEquals(
                "wirehaven import-wg-quick: --name needs the interface name, e.g. --name wg0\n"
                        + "usage: wirehaven import-wg-quick <file.conf> [--name <interface>] [--force]\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
