package dev.wirehaven.sessions.internal.plugins;

import static dev.wirehaven.sessions.internal.plugins.TestPlugins.authProvider;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.origin;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.policyEngine;
import static dev.wirehaven.sessions.internal.plugins.TestPlugins.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.monitor.MonitoringSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    private final PluginRegistry registry = new PluginRegistry();

    @Test
    void aBoundPluginIsListedWithItsBundleVersionAndServiceId() {
        AuthProvider ldap = authProvider("ldap");
        registry.authProviderShelf().add(ldap, origin(17, "com.vendor.ldap", 0));

        BoundPlugin<AuthProvider> bound = registry.authProviders().get(0);
        assertEquals("ldap", bound.name());
        assertEquals("com.vendor.ldap", bound.origin().bundleSymbolicName());
        assertEquals("1.2.3", bound.origin().bundleVersion());
        assertEquals(17, bound.origin().serviceId());
        assertSame(ldap, bound.service());
    }

    @Test
    void unbindingRemovesExactlyThatService() {
        registry.authProviderShelf().add(authProvider("ldap"), origin(17, "com.vendor.ldap", 0));
        registry.authProviderShelf().add(authProvider("oidc"), origin(18, "com.vendor.oidc", 0));

        assertEquals(
                "ldap", registry.authProviderShelf().remove(17).orElseThrow().name());

        assertEquals(List.of("oidc"), names(registry.authProviders()));
        assertTrue(registry.authProviderShelf().remove(17).isEmpty(), "a second unbind of the same id finds nothing");
    }

    @Test
    void pluginsAreConsultedByDescendingRankingThenByAge() {
        registry.policyEngineShelf().add(policyEngine("late-low"), origin(30, "b", -5));
        registry.policyEngineShelf().add(policyEngine("high"), origin(31, "b", 100));
        registry.policyEngineShelf().add(policyEngine("old-default"), origin(10, "b", 0));
        registry.policyEngineShelf().add(policyEngine("new-default"), origin(20, "b", 0));

        assertEquals(List.of("high", "old-default", "new-default", "late-low"), names(registry.policyEngines()));
    }

    @Test
    void modifiedPropertiesChangeTheRankingAndTheOrder() {
        registry.authProviderShelf().add(authProvider("primary"), origin(1, "b", 10));
        registry.authProviderShelf().add(authProvider("backup"), origin(2, "b", 0));

        Map<String, Object> props = new HashMap<>(Map.of("service.ranking", 50));
        registry.authProviderShelf().modify(2, PluginRegistry.rankingOf(props), props);

        assertEquals(List.of("backup", "primary"), names(registry.authProviders()));
        assertEquals(50, registry.authProviders().get(0).origin().properties().get("service.ranking"));
    }

    @Test
    void oneServiceObjectUnderTwoInterfacesIsKeptOnceInEachKind() {
        MonitoringSink sink = sink("audit");
        registry.monitoringSinkShelf().add(sink, origin(7, "b", 0));
        registry.authProviderShelf().add(authProvider("audit"), origin(7, "b", 0));

        registry.monitoringSinkShelf().remove(7);

        assertEquals(List.of(), registry.monitoringSinks());
        assertEquals(List.of("audit"), names(registry.authProviders()));
    }

    @Test
    void theSnapshotHasEveryKindEvenWhenEmpty() {
        registry.monitoringSinkShelf().add(sink("log"), origin(3, "b", 0));
        Map<PluginKind, List<BoundPlugin<?>>> snapshot = registry.snapshot();
        assertEquals(3, snapshot.size());
        assertEquals(List.of(), snapshot.get(PluginKind.AUTH_PROVIDER));
        assertEquals("log", snapshot.get(PluginKind.MONITORING_SINK).get(0).name());
    }

    @Test
    void aNonIntegerRankingCountsAsZeroAsTheFrameworkDoes() {
        assertEquals(0, PluginRegistry.rankingOf(Map.of("service.ranking", "10")));
        assertEquals(0, PluginRegistry.rankingOf(Map.of()));
        assertEquals(-3, PluginRegistry.rankingOf(Map.of("service.ranking", -3)));
    }

    private static List<String> names(List<? extends BoundPlugin<?>> plugins) {
        return plugins.stream().map(BoundPlugin::name).toList();
    }
}
