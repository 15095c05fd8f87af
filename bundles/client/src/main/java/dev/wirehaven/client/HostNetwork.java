package dev.wirehaven.client;

import java.io.Closeable;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The host's network as configured for one tunnel (addresses, routes, DNS), made by
 * {@link TunnelPlatform#configure}. Policy updates and reconnects change it; closing it restores
 * what was there before.
 */
@ConsumerType
public interface HostNetwork extends Closeable {

    /** Changes the configuration to {@code next}, touching only what differs. */
    void update(NetworkSettings next) throws IOException;

    /** The settings in effect. */
    NetworkSettings settings();

    /**
     * Restores routes and DNS as they were before (the interface's own addresses and routes go with
     * the interface). Idempotent; tries every part even when one fails, then reports the first failure.
     */
    @Override
    void close() throws IOException;
}
