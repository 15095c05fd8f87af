package dev.wirehaven.api.monitor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a bundle reports a security event that it observed itself (the console's login, a plugin's
 * own checks): the server delivers it to every {@link MonitoringSink} as it does its own events,
 * asynchronously, so reporting never waits for a sink. The server registers one such service.
 *
 * @since 1.2
 */
@ProviderType
public interface SecurityEvents {

    /** Hands the event to the sinks; returns at once. */
    void report(SecurityEvent event);
}
