package dev.wirehaven.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what the server observes: metric samples, session events and security events. A plugin
 * registers an implementation as an OSGi service; the server delivers to every registered sink.
 * Each method has an empty default, so a sink implements only what it cares about.
 *
 * <p><b>Delivery is asynchronous.</b> The server never calls a sink from the packet path or from a
 * client's request thread: it puts each item on a bounded queue per sink and delivers from that
 * sink's own thread, one call at a time, in the order the items occurred. A sink may therefore take
 * its time (write to a file, send over the network) without slowing clients down; but a sink that
 * falls behind for long loses the oldest items, and the server counts what it dropped. A sink must
 * not block indefinitely: when it is unregistered, the server waits only briefly for the call in
 * progress. An exception thrown by a sink is logged and does not stop later deliveries.
 *
 * <p>Register the service with {@link #NAME_PROPERTY} set to {@link #name()}.
 */
@ConsumerType
public interface MonitoringSink {

    /** Service property naming the sink; its value equals {@link #name()}. */
    String NAME_PROPERTY = "wirehaven.monitor.name";

    /** A short stable name, such as {@code log} or {@code prometheus}: lower case letters, digits, hyphens. */
    String name();

    /** A metric was sampled. */
    default void metric(MetricSample sample) {}

    /** A session entered a phase. */
    default void sessionEvent(SessionEvent event) {}

    /** Something that matters for security happened. */
    default void securityEvent(SecurityEvent event) {}
}
