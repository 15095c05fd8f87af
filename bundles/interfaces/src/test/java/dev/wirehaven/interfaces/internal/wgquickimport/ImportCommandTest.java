package dev.wirehaven.interfaces.internal.wgquickimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {

    @TempDir
    Path home;

    private ImportCommand command;

    @BeforeEach
    void server() throws IOException {
        command = new ImportCommand(home, home.resolve("etc"), home.resolve("data"));
        Files.writeString(
                home.resolve("wg0.conf"),
                "[Interface]\nPrivateKey = " + Keys.generatePrivate().toBase64()
                        + "\nAddress = 10.0.0.1/24\nListenPort = 51820\n");
    }

    @Test
    void aFileRelativeToTheHomeIsImportedUnderItsOwnNameOrTheGivenOne() throws Exception {
        String report = command.importWgQuick("wg0.conf");
        command.importWgQuick("wg0.conf", "wg5");

        assertTrue(report.startsWith("Imported " + home.resolve("wg0.conf") + " as WireGuard interface wg0:"), report);
        assertTrue(Files.exists(home.resolve("etc/dev.wirehaven.wireguard.interface-wg0.cfg")));
        assertTrue(Files.exists(home.resolve("etc/dev.wirehaven.wireguard.interface-wg5.cfg")));
    }

    @Test
    void forceIsTheWordForceInAnyPlaceAfterTheFile() throws Exception {
        command.importWgQuick("wg0.conf", "wg5");

        assertThrows(ImportException.class, () -> command.importWgQuick("wg0.conf", "wg5"));
        command.importWgQuick("wg0.conf", "wg5", "--force");
        command.importWgQuick("wg0.conf", "--force", "--name", "wg5");
    }

    @Test
    void wrongArgumentsSayHowToCallIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> command.importWgQuick("wg0.conf", "wg5", "wg6"));

        assertEquals(
                "unexpected argument 'wg6'; usage: wirehaven:importwgquick <file> [name] [--force]", e.getMessage());
    }
}
