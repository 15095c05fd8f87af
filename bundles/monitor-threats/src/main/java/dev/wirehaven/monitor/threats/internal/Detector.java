package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;

/**
 * One threat detector, fed by {@link ThreatsSink} from the sink's single delivery thread. A detector
 * is a component of its own with its own configuration PID, so that it can be tuned or switched off
 * alone; each implementation is synchronized against its reconfiguration and the command.
 */
public interface Detector {

    /** The detector's name, as in its PID {@code dev.wirehaven.threats.<name>} and in {@code requestedBy}. */
    String name();

    /** A metric sample, in the order the server took them. */
    default void metric(MetricSample sample) {}

    /** A security event, in the order they happened. */
    default void securityEvent(SecurityEvent event) {}

    /** For {@code wirehaven:threats}: enabled or not, the settings, and a refused configuration if any. */
    String describe();
}
