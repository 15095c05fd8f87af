package dev.wirehaven.sessions.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginNamesTest {

    @Test
    void thePluginsOwnNameComesFirst() {
        assertEquals(
                "ldap",
                PluginNames.nameOf(
                        () -> "ldap",
                        "wirehaven.auth.method",
                        Map.of("wirehaven.auth.method", "other", "component.name", "c")));
    }

    @Test
    void aFailingOrBlankOwnNameFallsBackToTheNamingPropertyThenTheComponentName() {
        assertEquals(
                "prop",
                PluginNames.nameOf(
                        () -> {
                            throw new IllegalStateException("plugin bug");
                        },
                        "wirehaven.auth.method",
                        Map.of("wirehaven.auth.method", "prop", "component.name", "c")));
        assertEquals(
                "com.vendor.Comp",
                PluginNames.nameOf(() -> " ", "wirehaven.auth.method", Map.of("component.name", "com.vendor.Comp")));
        assertEquals(PluginNames.UNNAMED, PluginNames.nameOf(() -> null, "wirehaven.auth.method", Map.of()));
    }

    @Test
    void controlCharactersCannotForgeLogLines() {
        assertEquals("evil?Bound fake", PluginNames.nameOf(() -> "evil\nBound fake", "p", Map.of()));
    }
}
