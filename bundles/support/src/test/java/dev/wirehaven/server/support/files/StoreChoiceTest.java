package dev.wirehaven.server.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreChoiceTest {

    @TempDir
    Path home;

    private Properties system() {
        Properties p = new Properties();
        p.setProperty(DataDirectory.HOME_PROPERTY, home.toString());
        return p;
    }

    private void configProperties(String text) throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), text);
    }

    @Test
    void anInstallationWithoutAChoiceUsesTheEmbeddedStoreWhichTheCommandLinesOpen() throws Exception {
        assertEquals(StoreChoice.EMBEDDED, StoreChoice.installed(system()));
        configProperties("wirehaven.store=embedded\n");
        assertNull(StoreChoice.offlineRefusal(system(), "bin/wirehaven user", "run it on a running node"));
    }

    @Test
    void aSharedDatabaseIsRefusedNamingTheFileTheKeyAndWhatToDoInstead() throws Exception {
        configProperties("wirehaven.store = postgres\n");

        String why = StoreChoice.offlineRefusal(system(), "bin/wirehaven user", "run it on a running node");

        assertEquals("postgres", StoreChoice.installed(system()));
        assertTrue(why.contains("wirehaven.store=postgres in etc/config.properties"), why);
        assertTrue(why.contains("run it on a running node"), why);
    }
}
