package dev.wirehaven.wireguard;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A userspace WireGuard interface: it reads IP packets from its TUN device, seals them for the
 * peer that cryptokey routing picks, and sends them over its UDP bind; and the reverse.
 */
@ProviderType
public interface WireGuardDevice extends AutoCloseable {

    /** The interface name. */
    String name();

    /**
     * Runs one configuration transaction. Operations apply in order; if one fails, those before
     * it stay applied (as with the userspace API) and the failure is thrown.
     */
    void configure(ConfigTransaction transaction) throws ConfigException;

    /** The current configuration and counters. */
    DeviceSnapshot snapshot();

    /**
     * How this device moves and seals packets, for the operator's log and {@code --stats}: the JDK,
     * the transport cipher, the TUN path (offloads or not) and the UDP path (batches, GSO/GRO), each
     * with the reason when a faster one is not in use.
     *
     * @since 1.3
     */
    default String dataPath() {
        return "jdk " + Runtime.version();
    }

    /** Stops the device's threads and closes its TUN device and bind. Idempotent. */
    @Override
    void close();

    /** The body of a {@link #configure} call. */
    @FunctionalInterface
    interface ConfigTransaction {
        void apply(DeviceConfigurator configurator) throws ConfigException;
    }
}
