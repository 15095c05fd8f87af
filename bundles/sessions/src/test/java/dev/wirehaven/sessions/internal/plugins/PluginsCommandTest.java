package dev.wirehaven.sessions.internal.plugins;

import static dev.wirehaven.sessions.internal.plugins.TestPlugins.authProvider;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.origin;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluginsCommandTest {

    @Test
    void listsEachKindWithBundleAndVersionAlignedInColumns() {
        PluginRegistry registry = new PluginRegistry();
        registry.authProviderShelf()
                .add(authProvider("static-token"), origin(42, "dev.wirehaven.example-auth-static-token", 0));
        registry.monitoringSinkShelf().add(sink("log"), origin(7, "dev.wirehaven.example-monitor-log", 5));

        String expected = """
                Auth providers (1)
                  NAME          BUNDLE                                   VERSION  RANKING  SERVICE
                  static-token  dev.wirehaven.example-auth-static-token  1.2.3    0        42
                Policy engines (0)
                  none
                Monitoring sinks (1)
                  NAME          BUNDLE                                   VERSION  RANKING  SERVICE
                  log           dev.wirehaven.example-monitor-log        1.2.3    5        7
                """;
        assertEquals(expected, new PluginsCommand(registry).plugins());
    }

    @Test
    void anEmptyRegistrySaysNoneForEveryKind() {
        String expected = """
                Auth providers (0)
                  none
                Policy engines (0)
                  none
                Monitoring sinks (0)
                  none
                """;
        assertEquals(expected, new PluginsCommand(new PluginRegistry()).plugins());
    }
}
