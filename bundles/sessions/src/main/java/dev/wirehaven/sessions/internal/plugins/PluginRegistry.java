package dev.wirehaven.sessions.internal.plugins;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.policy.PolicyEngine;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Every auth provider, policy engine and monitoring sink that is registered in the framework,
 * with the bundle that provides it. The references are multiple, dynamic and greedy: a plugin bundle
 * that is installed, updated or stopped changes this registry at once, the server is never
 * restarted for it, and a higher-ranked newcomer is taken up without waiting.
 *
 * <p>Immediate, so that the bind lines appear in the log as plugins come and go even before anything
 * asks the registry.
 */
@Component(service = PluginRegistry.class, immediate = true)
public final class PluginRegistry {

    private final PluginShelf<AuthProvider> authProviders =
            new PluginShelf<>(PluginKind.AUTH_PROVIDER, AuthProvider.METHOD_PROPERTY, AuthProvider::method);
    private final PluginShelf<PolicyEngine> policyEngines =
            new PluginShelf<>(PluginKind.POLICY_ENGINE, PolicyEngine.NAME_PROPERTY, PolicyEngine::name);
    private final PluginShelf<MonitoringSink> monitoringSinks =
            new PluginShelf<>(PluginKind.MONITORING_SINK, MonitoringSink.NAME_PROPERTY, MonitoringSink::name);

    @Activate
    public PluginRegistry() {
        // the shelves fill through the bind methods, which SCR calls after construction
    }

    /** The auth providers in consultation order (highest ranking first). */
    public List<BoundPlugin<AuthProvider>> authProviders() {
        return authProviders.inOrder();
    }

    /** The policy engines in consultation order. */
    public List<BoundPlugin<PolicyEngine>> policyEngines() {
        return policyEngines.inOrder();
    }

    /** The monitoring sinks in consultation order. */
    public List<BoundPlugin<MonitoringSink>> monitoringSinks() {
        return monitoringSinks.inOrder();
    }

    /** All bound plugins by kind, each list in consultation order; every kind is present. */
    public Map<PluginKind, List<BoundPlugin<?>>> snapshot() {
        Map<PluginKind, List<BoundPlugin<?>>> all = new EnumMap<>(PluginKind.class);
        all.put(PluginKind.AUTH_PROVIDER, List.copyOf(authProviders.inOrder()));
        all.put(PluginKind.POLICY_ENGINE, List.copyOf(policyEngines.inOrder()));
        all.put(PluginKind.MONITORING_SINK, List.copyOf(monitoringSinks.inOrder()));
        return all;
    }

    PluginShelf<AuthProvider> authProviderShelf() {
        return authProviders;
    }

    PluginShelf<PolicyEngine> policyEngineShelf() {
        return policyEngines;
    }

    PluginShelf<MonitoringSink> monitoringSinkShelf() {
        return monitoringSinks;
    }

    @Reference(
            service = AuthProvider.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindAuthProvider",
            updated = "updatedAuthProvider")
    void bindAuthProvider(AuthProvider provider, ServiceReference<AuthProvider> ref) {
        authProviders.add(provider, originOf(ref));
    }

    void updatedAuthProvider(ServiceReference<AuthProvider> ref) {
        modify(authProviders, ref);
    }

    void unbindAuthProvider(ServiceReference<AuthProvider> ref) {
        authProviders.remove(serviceId(ref));
    }

    @Reference(
            service = PolicyEngine.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindPolicyEngine",
            updated = "updatedPolicyEngine")
    void bindPolicyEngine(PolicyEngine engine, ServiceReference<PolicyEngine> ref) {
        policyEngines.add(engine, originOf(ref));
    }

    void updatedPolicyEngine(ServiceReference<PolicyEngine> ref) {
        modify(policyEngines, ref);
    }

    void unbindPolicyEngine(ServiceReference<PolicyEngine> ref) {
        policyEngines.remove(serviceId(ref));
    }

    @Reference(
            service = MonitoringSink.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindMonitoringSink",
            updated = "updatedMonitoringSink")
    void bindMonitoringSink(MonitoringSink sink, ServiceReference<MonitoringSink> ref) {
        monitoringSinks.add(sink, originOf(ref));
    }

    void updatedMonitoringSink(ServiceReference<MonitoringSink> ref) {
        modify(monitoringSinks, ref);
    }

    void unbindMonitoringSink(ServiceReference<MonitoringSink> ref) {
        monitoringSinks.remove(serviceId(ref));
    }

    private static void modify(PluginShelf<?> shelf, ServiceReference<?> ref) {
        Map<String, Object> properties = propertiesOf(ref);
        shelf.modify(serviceId(ref), rankingOf(properties), properties);
    }

    private static PluginOrigin originOf(ServiceReference<?> ref) {
        Map<String, Object> properties = propertiesOf(ref);
        // the bundle is null only when the service was unregistered meanwhile; the unbind follows at once
        Bundle bundle = ref.getBundle();
        String bsn = bundle == null || bundle.getSymbolicName() == null ? "(unknown bundle)" : bundle.getSymbolicName();
        String version =
                bundle == null ? "(unknown version)" : bundle.getVersion().toString();
        return new PluginOrigin(serviceId(ref), bsn, version, rankingOf(properties), properties);
    }

    private static Map<String, Object> propertiesOf(ServiceReference<?> ref) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            properties.put(key, ref.getProperty(key));
        }
        return properties;
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    static int rankingOf(Map<String, Object> properties) {
        // the framework ignores a service.ranking that is not an Integer, and so do we
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }
}
