package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreChoiceTest {

    private static final String WHERE = "configuration dev.wirehaven.store.postgres (file /opt/wh/etc/x.cfg)";

    @Test
    void theStoreRunsWhenTheFrameworkPropertyChoosesIt() {
        assertDoesNotThrow(() -> PostgresStore.requireChosen("postgres", WHERE));
        assertDoesNotThrow(() -> PostgresStore.requireChosen(" postgres ", WHERE));
    }

    @Test
    void aConfigurationBesideTheEmbeddedStoreIsRefusedNamingBothFilesAndTheFix() {
        for (String chosen : new String[] {null, "", "embedded"}) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> PostgresStore.requireChosen(chosen, WHERE));
            assertTrue(e.getMessage().startsWith(WHERE + " is there"), e.getMessage());
            assertTrue(e.getMessage().contains("wirehaven.store in etc/config.properties"), e.getMessage());
            assertTrue(e.getMessage().contains("set wirehaven.store=postgres"), e.getMessage());
        }
    }
}
