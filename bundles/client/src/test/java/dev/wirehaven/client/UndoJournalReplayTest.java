package dev.wirehaven.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.testing.Planted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code disconnect} (run as root) replays the undo journal that a dead client left in the run
 * directory. The journal holds what was changed, never what to run: an entry that names a program, an
 * entry of no known kind and one whose arguments do not check out are refused, and nothing is run.
 */
class UndoJournalReplayTest {

    @TempDir
    Path dir;

    private LinuxPlatform platform() {
        return LinuxPlatform.builder()
                .runDirectory(dir.resolve("run"))
                .resolvConf(dir.resolve("resolv.conf"))
                .uapiDirectory(null)
                .build();
    }

    @Test
    void neverRunsAProgramThatAnOldJournalNames() throws Exception {
        Path marker = dir.resolve("ran");
        Planted.program(dir.resolve("evil/resolvconf"), marker);
        // the format of older clients: the program's path is in the file, and was run as it stood
        Planted.file(dir.resolve("run"), "wh0", ".undo", "dns-resolvconf " + dir.resolve("evil/resolvconf") + " wh0\n");

        List<String> said = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> platform().recover("wh0", said::add));

        assertFalse(Files.exists(marker), "the planted program was run");
        assertTrue(e.getMessage().contains(dir.resolve("run").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("older wirehaven-client"), e.getMessage());
        assertTrue(e.getMessage().contains("remove"), "says what to do: " + e.getMessage());
    }

    @Test
    void refusesAnUnknownOrMalformedEntryAndUndoesNothing() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "# Written by wirehaven-client for wh0\nnameserver 10.8.0.1\n");
        for (String entry : List.of(
                "exec /bin/sh -c reboot",
                "rule -4 32763 lookup 51820 ; reboot",
                "rule -4 32763 lookup 10",
                "rule -4 32760 to 10.0.0.0/8 lookup main",
                "dns-resolvconf ../../etc/passwd",
                "dns-file /etc/shadow " + dir.resolve("run/x"))) {
            Planted.file(
                    dir.resolve("run"),
                    "wh0",
                    ".undo",
                    "wirehaven-client undo journal 2\ndns-file " + resolv + " " + dir.resolve("run/none") + "\n" + entry
                            + "\n");
            IOException e = assertThrows(IOException.class, () -> platform().recover("wh0", m -> {}), entry);
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertTrue(
                    Files.readString(resolv).startsWith("# Written by wirehaven-client"),
                    "not even the valid entry before it was undone: " + entry);
        }
    }
}
