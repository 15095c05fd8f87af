package dev.wirehaven.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSelectionTest {

    private final List<String> enabled = new ArrayList<>();

    @Test
    void withoutThePropertyTheEmbeddedStoreIsEnabled() {
        StoreSelection selection = new StoreSelection(null, enabled::add);
        assertEquals("embedded", selection.chosen());
        assertEquals(List.of(EmbeddedStore.class.getName()), enabled);
    }

    @Test
    void aBlankValueMeansTheDefault() {
        new StoreSelection("  ", enabled::add);
        assertEquals(List.of(EmbeddedStore.class.getName()), enabled);
    }

    @Test
    void embeddedChosenExplicitlyIsEnabled() {
        new StoreSelection(" embedded ", enabled::add);
        assertEquals(List.of(EmbeddedStore.class.getName()), enabled);
    }

    @Test
    void postgresKeepsTheEmbeddedStoreOff() {
        StoreSelection selection = new StoreSelection("postgres", enabled::add);
        assertEquals("postgres", selection.chosen());
        assertEquals(List.of(), enabled);
    }

    @Test
    void anUnknownStoreIsAnErrorNamingTheFileTheKeyAndTheAcceptedValues() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new StoreSelection("mysql", enabled::add));
        assertTrue(e.getMessage().contains("etc/config.properties"), e.getMessage());
        assertTrue(e.getMessage().contains("wirehaven.store=mysql"), e.getMessage());
        assertTrue(e.getMessage().contains("embedded, postgres"), e.getMessage());
        assertEquals(List.of(), enabled);
    }

    @Test
    void theEmbeddedStoreIsDeclaredDisabledUnderTheNameThatIsEnabled() throws Exception {
        // the descriptor that bnd wrote from the annotations (process-classes, before the tests): a store that
        // is not disabled would open beside PostgreSQL, one under another name would never be enabled
        String descriptor = "OSGI-INF/" + StoreSelection.EMBEDDED_COMPONENT + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor + " is missing");
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("name=\"" + StoreSelection.EMBEDDED_COMPONENT + "\""), xml);
            assertTrue(xml.contains("enabled=\"false\""), xml);
        }
    }
}
