package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.server.support.config.PropertyValues;
import dev.wirehaven.server.support.store.SchemaMigrations;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.monitor.MonitoringDispatcher;
import dev.wirehaven.sessions.internal.plugins.PluginRegistry;
import dev.wirehaven.sessions.internal.realm.RealmRegistry;
import dev.wirehaven.sessions.internal.response.DisabledUsers;
import dev.wirehaven.sessions.internal.store.SessionSchema;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.InterfaceProperties;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer as a component (configuration PID {@value SessionSettings#PID}, optional: the
 * defaults serve {@code wg0}). It needs the store and the WireGuard device of the configured
 * interface; while both are there it runs a {@link SessionRuntime} and registers its
 * {@link ControlPlane}, {@link SessionDirectory} and {@link SessionAdmin} services, and while either
 * is missing those services are simply not registered (the control API answers 503).
 *
 * <p>The devices are a dynamic reference to all of them, and this component picks the one whose
 * {@code wirehaven.interface} is the configured interface, because a DS target filter cannot be
 * computed from another configuration value and an operator who edits {@code interface} in the
 * web console must not also have to edit a filter. A device that goes (its configuration changed
 * and the interface was recreated) stops the runtime; the new one starts it again and the peers of
 * the open sessions are put back on it.
 *
 * <p>A bad configuration is refused with one ERROR line naming the file, the key and the fix: at
 * activation the component then fails and nothing starts; a bad change while running is not applied
 * and the sessions keep the configuration they have.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = SessionSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SessionConfig.class)
public final class SessionComponent {

    /**
     * The property of the embedded store (and of any other store) that marks a DataSource as ours; an
     * operator picks one store with {@code store.target} in the configuration, DS's convention.
     */
    static final String STORE_FILTER = "(wirehaven.store=*)";

    static final String INTERFACE_PROPERTY = InterfaceProperties.INTERFACE;
    static final String ADDRESSES_PROPERTY = InterfaceProperties.ADDRESSES;

    private static final Logger LOG = LoggerFactory.getLogger(SessionComponent.class);

    private final BundleContext context;
    private final DataSource dataSource;
    private final PluginRegistry plugins;
    private final MonitoringDispatcher monitor;
    private final RealmRegistry realms;
    private final DisabledUsers disabledUsers;
    /** Ticks in microseconds, the precision of the store's timestamps, so that a deadline read back is the one computed. */
    private final Clock clock = MicrosecondClock.ofSystemUtc();
    /** Bound devices by service id; guarded by this. */
    private final Map<Long, BoundDevice> devices = new TreeMap<>();

    private SessionSettings settings;
    private NodeSettings node;
    private Running running;
    private boolean deactivated;

    @Activate
    public SessionComponent(
            BundleContext context,
            Map<String, Object> properties,
            @Reference(name = "store", target = STORE_FILTER) DataSource dataSource,
            @Reference(name = "plugins") PluginRegistry plugins,
            @Reference(name = "monitor") MonitoringDispatcher monitor,
            @Reference(name = "realms") RealmRegistry realms,
            @Reference(name = "disabledUsers") DisabledUsers disabledUsers) {
        this.context = context;
        this.disabledUsers = disabledUsers;
        this.dataSource = dataSource;
        this.plugins = plugins;
        this.monitor = monitor;
        this.realms = realms;
        try {
            this.settings = SessionSettings.from(properties);
            this.node = NodeSettings.from(properties, NodeSettings.localHostName());
        } catch (SessionConfigException e) {
            LOG.error("Sessions not started: {}", e.getMessage());
            throw e;
        }
        try {
            migrate(dataSource);
        } catch (StoreException e) {
            LOG.error("Sessions not started: the store cannot be used: {}", e.getMessage());
            throw e;
        }
        // the devices bind after construction; without this line an operator who has not configured
        // one would see nothing about sessions at all
        LOG.info(
                "Sessions wait for WireGuard interface {} (etc/dev.wirehaven.wireguard.interface-{}.cfg); until it"
                        + " is up the control API answers 503",
                settings.interfaceName(),
                settings.interfaceName());
    }

    /** Brings the sessions' tables up to date (their own migration track; other bundles migrate theirs). */
    private void migrate(DataSource store) {
        new SchemaMigrations(store, SessionSchema.TRACK, clock).migrate();
    }

    @Reference(
            service = WireGuardDevice.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindDevice")
    synchronized void bindDevice(WireGuardDevice device, Map<String, Object> properties) {
        devices.put((Long) properties.get(Constants.SERVICE_ID), new BoundDevice(device, properties));
        reconcile();
    }

    synchronized void unbindDevice(WireGuardDevice device, Map<String, Object> properties) {
        devices.remove((Long) properties.get(Constants.SERVICE_ID));
        reconcile();
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        SessionSettings next;
        NodeSettings nextNode;
        try {
            next = SessionSettings.from(properties);
            nextNode = NodeSettings.from(properties, NodeSettings.localHostName());
        } catch (SessionConfigException e) {
            LOG.error("Session configuration not applied, the sessions keep the previous one: {}", e.getMessage());
            return;
        }
        SessionSettings previous = settings;
        settings = next;
        boolean nodeChanged = !nextNode.equals(node);
        node = nextNode;
        if (running != null && nodeChanged) {
            LOG.info("This gateway node's settings changed ({}): restarting the session layer", nextNode);
            stop();
        } else if (running != null && next.structureDiffers(previous)) {
            LOG.info("Session interface or subnets changed: restarting the session layer");
            if (!next.interfaceName().equals(previous.interfaceName())) {
                running.runtime().withdrawPeers();
            }
            stop();
        }
        if (running != null) {
            running.runtime().update(next);
        }
        reconcile();
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        stop();
    }

    /** Starts, stops or keeps the runtime so that it serves the configured interface's device, if bound. */
    private void reconcile() {
        if (deactivated) {
            return;
        }
        Optional<Map.Entry<Long, BoundDevice>> wanted = devices.entrySet().stream()
                .filter(e -> settings.interfaceName().equals(e.getValue().interfaceName()))
                .min(Comparator.comparingLong(Map.Entry::getKey));
        if (running != null
                && (wanted.isEmpty() || running.serviceId() != wanted.get().getKey())) {
            LOG.info(
                    "WireGuard interface {} went away: the control API is unavailable until it is back",
                    settings.interfaceName());
            stop();
        }
        if (running == null && wanted.isPresent()) {
            start(wanted.get().getKey(), wanted.get().getValue());
        }
    }

    private void start(long serviceId, BoundDevice bound) {
        SessionRuntime runtime;
        try {
            runtime = SessionRuntime.start(
                    settings,
                    node,
                    dataSource,
                    bound.device(),
                    bound.addresses(),
                    PluginSources.of(plugins, realms, disabledUsers),
                    monitor,
                    clock);
        } catch (RuntimeException e) {
            LOG.error("Sessions on {} not started: {}", settings.interfaceName(), e.getMessage());
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(INTERFACE_PROPERTY, settings.interfaceName());
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        registrations.add(context.registerService(ControlPlane.class, runtime.controlPlane(), props));
        registrations.add(context.registerService(SessionDirectory.class, runtime.directory(), props));
        registrations.add(context.registerService(SessionAdmin.class, runtime.admin(), props));
        registrations.add(context.registerService(
                NodesCommand.class, new NodesCommand(runtime, clock), NodesCommand.commandProperties()));
        runtime.scheduleReaper();
        runtime.scheduleEnforcement();
        runtime.joinCluster();
        running = new Running(serviceId, runtime, registrations);
        LOG.info(
                "Session flow serving WireGuard interface {} as gateway node {} (pools {}, endpoint {})",
                settings.interfaceName(),
                node.name(),
                settings.subnets(),
                settings.endpoint() == null ? "from the API's host name" : settings.endpoint());
    }

    private void stop() {
        if (running == null) {
            return;
        }
        for (ServiceRegistration<?> registration : running.registrations()) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        }
        running.runtime().close();
        running = null;
    }

    private record Running(long serviceId, SessionRuntime runtime, List<ServiceRegistration<?>> registrations) {}

    /** A bound device with the service properties that name its interface and addresses. */
    private record BoundDevice(WireGuardDevice device, Map<String, Object> properties) {

        String interfaceName() {
            Object name = properties.get(INTERFACE_PROPERTY);
            return name == null ? device.name() : name.toString();
        }

        /** The interface's own addresses, from {@code address/prefix} values. */
        List<InetAddress> addresses() {
            Object raw = properties.get(ADDRESSES_PROPERTY);
            List<String> texts = PropertyValues.of(raw);
            List<InetAddress> addresses = new ArrayList<>();
            for (String text : texts) {
                String host = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
                try {
                    addresses.add(Prefixes.parse(host).address());
                } catch (IllegalArgumentException e) {
                    LOG.warn("Interface {} has an address that is not one: {}", interfaceName(), text);
                }
            }
            return addresses;
        }
    }
}
