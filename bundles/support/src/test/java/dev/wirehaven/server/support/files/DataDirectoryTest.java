package dev.wirehaven.server.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path home;

    private Properties system(String... pairs) {
        Properties p = new Properties();
        p.setProperty(DataDirectory.HOME_PROPERTY, home.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void isDataInTheInstallationByDefault() throws Exception {
        assertEquals(home.resolve("data"), DataDirectory.installed(system()));
    }

    @Test
    void theFrameworksPropertyWinsWithItsReferencesResolved() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(
                home.resolve("etc").resolve("config.properties"),
                "base=${wirehaven.home}/var\nwirehaven.data=${base}/wirehaven\n");

        assertEquals(
                home.resolve("var").resolve("wirehaven"),
                DataDirectory.installed(system("wirehaven.data", "/elsewhere")));
    }

    @Test
    void elseTheSystemProperty() throws Exception {
        assertEquals(Path.of("/srv/wirehaven"), DataDirectory.installed(system("wirehaven.data", "/srv/wirehaven")));
    }
}
