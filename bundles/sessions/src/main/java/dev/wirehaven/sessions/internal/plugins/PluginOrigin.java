package dev.wirehaven.sessions.internal.plugins;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a bound plugin service came from: its service id, the bundle that registered it, its
 * ranking and its service properties at bind time (or at the last modification).
 *
 * @param serviceId the framework's {@code service.id}
 * @param bundleSymbolicName the providing bundle's symbolic name
 * @param bundleVersion the providing bundle's version, as the manifest says it
 * @param ranking {@code service.ranking}, 0 when absent or not an integer
 * @param properties all service properties, sorted by name; copied
 */
public record PluginOrigin(
        long serviceId, String bundleSymbolicName, String bundleVersion, int ranking, Map<String, Object> properties) {

    public PluginOrigin {
        Objects.requireNonNull(bundleSymbolicName, "bundleSymbolicName");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
        properties = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(properties, "properties")));
    }

    /** The same origin with new ranking and properties, after the service's properties were modified. */
    public PluginOrigin withProperties(int newRanking, Map<String, Object> newProperties) {
        return new PluginOrigin(serviceId, bundleSymbolicName, bundleVersion, newRanking, newProperties);
    }
}
