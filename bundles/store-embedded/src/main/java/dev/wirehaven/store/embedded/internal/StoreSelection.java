package dev.wirehaven.store.embedded.internal;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/**
 * Which store the server uses, from the framework property {@value #PROPERTY} in
 * {@code etc/config.properties}: {@code embedded} (the default) or {@code postgres}. The embedded
 * store is declared disabled and this component enables it only when it is the one chosen, so that a
 * gateway that shares a PostgreSQL database never opens an H2 file beside it, nor offers a second
 * {@code DataSource} that a component could pick instead.
 *
 * <p>A framework property and not a configuration: the choice is made once per start, before any
 * component asks for a store, and switching stores while the server runs would move the server's
 * state out from under its sessions.
 */
@Component(immediate = true)
public final class StoreSelection {

    /** The framework property that chooses the store, and the service property that each store registers. */
    static final String PROPERTY = EmbeddedStore.STORE_PROPERTY;

    static final String POSTGRES = "postgres";
    static final List<String> ACCEPTED = List.of(EmbeddedStore.STORE_NAME, POSTGRES);

    /** The name of the embedded store's component, as SCR enables it (its class name, the DS default). */
    static final String EMBEDDED_COMPONENT = EmbeddedStore.class.getName();

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(StoreSelection.class);

    private final String chosen;

    @Activate
    public StoreSelection(ComponentContext context) {
        this(context.getBundleContext().getProperty(PROPERTY), context::enableComponent);
    }

    /**
     * @param configured the property's value (null when it is not set)
     * @param enable enables a component of this bundle by name
     * @throws IllegalArgumentException for a value that names no store, naming the file, the key and the values
     */
    StoreSelection(String configured, Consumer<String> enable) {
        this.chosen = chosen(configured);
        if (chosen.equals(EmbeddedStore.STORE_NAME)) {
            enable.accept(EMBEDDED_COMPONENT);
            LOG.info("Store: embedded (H2 in the data directory; {} in etc/config.properties)", PROPERTY);
        } else {
            LOG.info("Store: {} ({} in etc/config.properties); the embedded store stays off", chosen, PROPERTY);
        }
    }

    /** The store that {@code configured} names: the default when it is not set. */
    static String chosen(String configured) {
        if (configured == null || configured.isBlank()) {
            return EmbeddedStore.STORE_NAME;
        }
        String name = configured.strip();
        if (!ACCEPTED.contains(name)) {
            String message = "etc/config.properties: " + PROPERTY + "=" + name + " names no store; set it to one of "
                    + String.join(", ", ACCEPTED) + " (or remove it for " + EmbeddedStore.STORE_NAME
                    + "). No store runs until then.";
            LOG.error(message);
            throw new IllegalArgumentException(message);
        }
        return name;
    }

    /** The store chosen at this start. */
    String chosen() {
        return chosen;
    }
}
