package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.sessions.spi.InterfaceProperties;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WireGuard interface of the server, one per factory configuration
 * {@value InterfaceSettings#FACTORY_PID} (for example {@code etc/dev.wirehaven.wireguard.interface-wg0.cfg},
 * which {@code bin/wirehaven import-wg-quick} also writes from a wg-quick file).
 *
 * <p>Activation runs the preUp commands, creates the TUN interface with its MTU and addresses,
 * starts the device on it with the private key from its key file (created on the first start) and
 * the listen port, adds the configured static peers, runs the postUp commands, serves it to
 * {@code wg} as a userspace interface, logs the public key for the operator to give to peers, and
 * registers the device as a {@link WireGuardDevice} service with {@value InterfaceProperties#INTERFACE}{@code =<name>}
 * for the session layer. Deactivation (configuration deleted, bundle or server stopping) undoes all
 * of it: the service goes, preDown runs, the socket and the interface disappear, postDown runs.
 *
 * <p>{@code @Modified}: a change of the static peers or the hooks is applied to the running
 * interface, and the peers that the session flow added stay; a change of name, listen port, key
 * file, addresses or MTU recreates the interface (see {@link ConfiguredInterface}). A change that
 * cannot be used is refused with an ERROR and the interface keeps running as it was.
 *
 * <p>A configuration that cannot be used fails activation with one {@link InterfaceStartException}
 * and one ERROR line of the same words: the configuration, the key and the fix.
 */
@Component(
        configurationPid = InterfaceSettings.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true)
@Designate(ocd = InterfaceConfig.class, factory = true)
public final class WireGuardInterface {

    /** Framework property that names the server's data directory (as the admin credential uses it). */
    static final String DATA_PROPERTY = "wirehaven.data";

    private static final Logger LOG = LoggerFactory.getLogger(WireGuardInterface.class);

    private final Path dataDirectory;
    private final ConfiguredInterface configured;

    @Activate
    public WireGuardInterface(BundleContext context, Map<String, Object> properties) {
        this(properties, dataDirectory(context), new LinuxHost(), (device, settings, publicKey) -> {
            ServiceRegistration<WireGuardDevice> registration =
                    context.registerService(WireGuardDevice.class, device, serviceProperties(settings, publicKey));
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework unregisters a stopping bundle's services itself
                }
            };
        });
    }

    /** For tests: another host (in-memory TUN and network) and another way to publish the device. */
    WireGuardInterface(
            Map<String, ?> properties,
            Path dataDirectory,
            InterfaceHost host,
            ConfiguredInterface.Publisher publisher) {
        this.dataDirectory = dataDirectory;
        try {
            InterfaceSettings settings = InterfaceSettings.from(properties, dataDirectory);
            this.configured = ConfiguredInterface.start(settings, ConfigurationOrigin.of(properties), host, publisher);
        } catch (InterfaceStartException e) {
            // SCR keeps the exception as the component's failure (web console, scr:info) and logs it
            // as one of its own entries with a reflection stack trace; this is the line to read
            LOG.error(e.getMessage());
            throw e;
        }
    }

    /** Never throws: SCR would only log it, and the interface's state is what the ERROR line says. */
    @Modified
    void modified(Map<String, ?> properties) {
        InterfaceSettings next;
        try {
            next = InterfaceSettings.from(properties, dataDirectory);
        } catch (InterfaceStartException e) {
            LOG.error(InterfaceStartException.changeNotApplied(configured.name(), e)
                    .getMessage());
            return;
        }
        try {
            configured.update(next, ConfigurationOrigin.of(properties));
        } catch (InterfaceStartException e) {
            LOG.error(e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        configured.stop();
    }

    static Hashtable<String, Object> serviceProperties(InterfaceSettings settings, String publicKey) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(InterfaceProperties.INTERFACE, settings.name());
        props.put(InterfaceProperties.LISTEN_PORT, settings.listenPort());
        props.put(InterfaceProperties.PUBLIC_KEY, publicKey);
        props.put(
                InterfaceProperties.ADDRESSES,
                settings.addresses().stream().map(InterfaceAddress::toString).toArray(String[]::new));
        return props;
    }

    private static Path dataDirectory(BundleContext context) {
        String configured = context.getProperty(DATA_PROPERTY);
        String location = configured == null || configured.isBlank() ? "data" : configured.trim();
        return Path.of(location).toAbsolutePath().normalize();
    }
}
