package dev.wirehaven.sessions.internal.plugins;

import static dev.wirehaven.sessions.internal.plugins.TestPlugins.authProvider;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.origin;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.policyEngine;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.server.support.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginBindLogTest {

    @Test
    void eachBindAndUnbindIsOneInfoLineNamingKindPluginBundleAndVersion() {
        PluginRegistry registry = new PluginRegistry();
        try (LogCapture log = new LogCapture(PluginRegistry.class)) {
            registry.authProviderShelf()
                    .add(authProvider("static-token"), origin(42, "dev.wirehaven.example-auth-static-token", 0));
            registry.policyEngineShelf()
                    .add(policyEngine("port-allowlist"), origin(43, "dev.wirehaven.example-policy-port-allowlist", 0));
            registry.monitoringSinkShelf().add(sink("log"), origin(44, "dev.wirehaven.example-monitor-log", 0));
            registry.authProviderShelf().remove(42);

            assertEquals(
                    List.of(
                            "INFO Bound auth provider static-token from dev.wirehaven.example-auth-static-token 1.2.3 (service 42)",
                            "INFO Bound policy engine port-allowlist from dev.wirehaven.example-policy-port-allowlist 1.2.3 (service 43)",
                            "INFO Bound monitoring sink log from dev.wirehaven.example-monitor-log 1.2.3 (service 44)",
                            "INFO Unbound auth provider static-token from dev.wirehaven.example-auth-static-token 1.2.3 (service 42)"),
                    log.lines());
        }
    }

    @Test
    void anUnbindOfAnUnknownServiceLogsNothing() {
        PluginRegistry registry = new PluginRegistry();
        try (LogCapture log = new LogCapture(PluginRegistry.class)) {
            registry.policyEngineShelf().remove(99);
            assertEquals(List.of(), log.lines());
        }
    }
}
