package dev.wirehaven.server.internal.wireguard;

import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WireGuard interface of the server, one per factory configuration
 * {@value InterfaceSettings#FACTORY_PID} (for example {@code etc/dev.wirehaven.wireguard.interface-wg0.cfg}).
 *
 * <p>Activation creates the TUN interface with its MTU and addresses, starts the device on it with
 * the private key from its key file (created on the first start) and the listen port, serves it to
 * {@code wg} as a userspace interface, logs the public key for the operator to give to peers, and
 * registers the device as a {@link WireGuardDevice} service with {@value #INTERFACE_PROPERTY}{@code =<name>}
 * for the session layer. Deactivation (configuration deleted, bundle or server stopping) undoes all of
 * it: the service goes, the socket and the interface disappear.
 *
 * <p>Not {@code @Modified}: a changed configuration recreates the interface, which is simple and
 * always right. Peers do not survive it: whoever added them (the session layer, an operator with
 * {@code wg set}) adds them again when the service comes back.
 *
 * <p>A configuration that cannot be used fails activation with one {@link InterfaceStartException}
 * and one ERROR line of the same words: the configuration, the key and the fix.
 */
@Component(configurationPid = InterfaceSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = InterfaceConfig.class, factory = true)
public final class WireGuardInterface {

    /** Service property of the registered {@link WireGuardDevice}: its interface name. */
    public static final String INTERFACE_PROPERTY = "wirehaven.interface";
    /** Service property: the listen port. */
    public static final String LISTEN_PORT_PROPERTY = "wirehaven.listenPort";
    /** Service property: the interface's public key (base64), which clients need as their peer. */
    public static final String PUBLIC_KEY_PROPERTY = "wirehaven.publicKey";
    /** Service property: the interface's addresses, {@code address/prefix}. */
    public static final String ADDRESSES_PROPERTY = "wirehaven.addresses";

    /** Framework property that names the server's data directory (as the admin credential uses it). */
    static final String DATA_PROPERTY = "wirehaven.data";

    private static final Logger LOG = LoggerFactory.getLogger(WireGuardInterface.class);

    private final InterfaceSettings settings;
    private final RunningInterface running;
    private final ServiceRegistration<WireGuardDevice> registration;

    @Activate
    public WireGuardInterface(BundleContext context, Map<String, Object> properties) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        try {
            this.settings = InterfaceSettings.from(properties, dataDirectory(context));
            Key privateKey = privateKey(settings, origin);
            String publicKey = Keys.publicFrom(privateKey).toBase64();
            try {
                this.running = RunningInterface.start(settings, privateKey, new LinuxHost());
            } catch (IOException e) {
                throw InterfaceStartException.cannotStart(settings.name(), origin, e.getMessage());
            }
            try {
                this.registration = context.registerService(WireGuardDevice.class, running.device(),
                        serviceProperties(settings, publicKey));
            } catch (RuntimeException e) {
                running.close();
                throw e;
            }
            LOG.info("WireGuard interface {} is up: listen port {}, addresses {}, MTU {}, public key {} ({})",
                    settings.name(), settings.listenPort(), addressList(settings), settings.mtu(), publicKey,
                    origin.describe());
        } catch (InterfaceStartException e) {
            // SCR keeps the exception as the component's failure (web console, scr:info) and logs it
            // as one of its own entries with a reflection stack trace; this is the line to read
            LOG.error(e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        running.close();
        LOG.info("WireGuard interface {} removed", settings.name());
    }

    private static Key privateKey(InterfaceSettings settings, ConfigurationOrigin origin) {
        PrivateKeyFile file = new PrivateKeyFile(settings.privateKeyFile());
        try {
            return file.loadOrCreate();
        } catch (IOException e) {
            throw InterfaceStartException.badValue(origin, InterfaceSettings.PRIVATE_KEY_FILE, e.getMessage(),
                    "point " + InterfaceSettings.PRIVATE_KEY_FILE + " at a readable file with a key from 'wg genkey',"
                            + " or delete the file to have a new key generated (peers then need the new public key)");
        }
    }

    static Hashtable<String, Object> serviceProperties(InterfaceSettings settings, String publicKey) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(INTERFACE_PROPERTY, settings.name());
        props.put(LISTEN_PORT_PROPERTY, settings.listenPort());
        props.put(PUBLIC_KEY_PROPERTY, publicKey);
        props.put(ADDRESSES_PROPERTY, settings.addresses().stream().map(InterfaceAddress::toString).toArray(String[]::new));
        return props;
    }

    private static String addressList(InterfaceSettings settings) {
        return settings.addresses().isEmpty() ? "none"
                : settings.addresses().stream().map(InterfaceAddress::toString).collect(Collectors.joining(", "));
    }

    private static Path dataDirectory(BundleContext context) {
        String configured = context.getProperty(DATA_PROPERTY);
        String location = configured == null || configured.isBlank() ? "data" : configured.trim();
        return Path.of(location).toAbsolutePath().normalize();
    }
}
