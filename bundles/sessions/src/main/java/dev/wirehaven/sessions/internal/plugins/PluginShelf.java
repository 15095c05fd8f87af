package dev.wirehaven.sessions.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound services of one plugin kind, keyed by service id. Binds and unbinds arrive on
 * framework threads while request threads read, so the shelf is a concurrent map and readers get
 * a sorted copy. Each bind and unbind is logged at INFO as one line, {@code Bound <describe>} or
 * {@code Unbound <describe>} (see {@link BoundPlugin#describe()}); tests of the distribution look
 * for these lines.
 *
 * @param <T> the SPI type
 */
final class PluginShelf<T> {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final PluginKind kind;
    private final String namingProperty;
    private final Function<T, String> ownName;
    private final ConcurrentMap<Long, BoundPlugin<T>> bound = new ConcurrentHashMap<>();

    /**
     * @param kind which SPI this shelf holds
     * @param namingProperty the api's service property that names such a plugin
     * @param ownName asks the plugin for its name (its {@code method()} or {@code name()})
     */
    PluginShelf(PluginKind kind, String namingProperty, Function<T, String> ownName) {
        this.kind = kind;
        this.namingProperty = namingProperty;
        this.ownName = ownName;
    }

    PluginKind kind() {
        return kind;
    }

    BoundPlugin<T> add(T service, PluginOrigin origin) {
        String name = PluginNames.nameOf(() -> ownName.apply(service), namingProperty, origin.properties());
        BoundPlugin<T> plugin = new BoundPlugin<>(kind, name, origin, service);
        bound.put(origin.serviceId(), plugin);
        LOG.info("Bound {}", plugin.describe());
        return plugin;
    }

    Optional<BoundPlugin<T>> remove(long serviceId) {
        BoundPlugin<T> plugin = bound.remove(serviceId);
        if (plugin != null) {
            LOG.info("Unbound {}", plugin.describe());
        }
        return Optional.ofNullable(plugin);
    }

    /** Records new service properties; the name stays (the plugin's own answer does not change with them). */
    void modify(long serviceId, int ranking, Map<String, Object> properties) {
        bound.computeIfPresent(
                serviceId,
                (id, p) -> new BoundPlugin<>(
                        p.kind(), p.name(), p.origin().withProperties(ranking, properties), p.service()));
    }

    /** The bound plugins in {@linkplain BoundPlugin#CONSULTATION_ORDER consultation order}. */
    List<BoundPlugin<T>> inOrder() {
        List<BoundPlugin<T>> list = new ArrayList<>(bound.values());
        list.sort(BoundPlugin.CONSULTATION_ORDER);
        return List.copyOf(list);
    }
}
