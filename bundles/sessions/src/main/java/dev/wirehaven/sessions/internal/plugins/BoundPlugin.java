package dev.wirehaven.sessions.internal.plugins;

import java.util.Comparator;
import java.util.Objects;

/**
 * One plugin service that the registry holds: what it is, its name, where it came from, and the
 * service object that the server calls.
 *
 * @param kind which SPI
 * @param name the plugin's own name (auth method, engine or sink name), printable
 * @param origin service id, bundle and properties
 * @param service the service object
 * @param <T> the SPI type
 */
public record BoundPlugin<T>(PluginKind kind, String name, PluginOrigin origin, T service) {

    /** The order in which the server consults plugins: higher ranking first, then older service first. */
    public static final Comparator<BoundPlugin<?>> CONSULTATION_ORDER = Comparator.comparingInt(
                    (BoundPlugin<?> p) -> p.origin().ranking())
            .reversed()
            .thenComparingLong(p -> p.origin().serviceId());

    public BoundPlugin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(service, "service");
    }

    /**
     * "auth provider static-token from dev.wirehaven.example-auth-static-token 0.1.0.SNAPSHOT (service 42)":
     * the part of the bind and unbind log lines after the verb.
     */
    public String describe() {
        return kind.singular() + " " + name + " from " + origin.bundleSymbolicName() + " " + origin.bundleVersion()
                + " (service " + origin.serviceId() + ")";
    }
}
