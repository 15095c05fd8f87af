package dev.wirehaven.api.monitor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a bundle reports a measurement that it made itself (the control API's requests, a plugin's
 * own work): the server delivers each sample to every {@link MonitoringSink} as it does its own,
 * asynchronously, so reporting never waits for a sink. The server registers one such service.
 *
 * @since 1.3
 */
@ProviderType
public interface MetricSamples {

    /** Hands the sample to the sinks; returns at once. */
    void report(MetricSample sample);
}
