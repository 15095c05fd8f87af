package dev.wirehaven.sessions.internal.monitor;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MetricSamples;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.monitor.SessionEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Delivers session events, security events and metric samples to every bound
 * {@link MonitoringSink}, as the SPI promises: asynchronously, through one {@link SinkChannel}
 * (bounded queue and thread) per sink, so that a slow or failing sink never holds up a client's
 * request or the other sinks. Publishing costs the caller one queue offer per sink. Other bundles
 * (the console) report their own security events through it as the SDK's {@link SecurityEvents}, and
 * their own measurements (the control API's requests) as its {@link MetricSamples}.
 */
@Component(service = {MonitoringDispatcher.class, SecurityEvents.class, MetricSamples.class})
public final class MonitoringDispatcher implements SecurityEvents, MetricSamples {

    /** Items a sink may have waiting before the oldest are dropped. */
    static final int QUEUE_CAPACITY = 4096;
    /** How long an unbound sink may take to finish the call in progress. */
    static final Duration UNBIND_WAIT = Duration.ofSeconds(1);

    private final int capacity;
    private final ConcurrentMap<Long, SinkChannel> channels = new ConcurrentHashMap<>();

    @Activate
    public MonitoringDispatcher() {
        this(QUEUE_CAPACITY);
    }

    /** With a given queue capacity per sink (tests use a small one to see drops). */
    public MonitoringDispatcher(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the queue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Reference(
            service = MonitoringSink.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindSink")
    void bindSink(MonitoringSink sink, Map<String, Object> properties) {
        add((Long) properties.get(Constants.SERVICE_ID), sink);
    }

    void unbindSink(MonitoringSink sink, Map<String, Object> properties) {
        remove((Long) properties.get(Constants.SERVICE_ID));
    }

    /** Starts delivering to a sink, identified by its service id. */
    public void add(long serviceId, MonitoringSink sink) {
        SinkChannel previous = channels.put(serviceId, new SinkChannel(nameOf(sink, serviceId), sink, capacity));
        if (previous != null) {
            previous.close(UNBIND_WAIT);
        }
    }

    /** Stops delivering to a sink; waits briefly for the call in progress. */
    public void remove(long serviceId) {
        SinkChannel channel = channels.remove(serviceId);
        if (channel != null) {
            channel.close(UNBIND_WAIT);
        }
    }

    public void sessionEvent(SessionEvent event) {
        publish(sink -> sink.sessionEvent(event));
    }

    public void securityEvent(SecurityEvent event) {
        publish(sink -> sink.securityEvent(event));
    }

    /** A security event another bundle observed, delivered like the server's own. */
    @Override
    public void report(SecurityEvent event) {
        securityEvent(event);
    }

    public void metric(MetricSample sample) {
        publish(sink -> sink.metric(sample));
    }

    /** A measurement another bundle made, delivered like the server's own. */
    @Override
    public void report(MetricSample sample) {
        metric(sample);
    }

    /** Items dropped for the sink of that name because it fell behind (0 for an unknown sink). */
    public long dropped(String sinkName) {
        return channels.values().stream()
                .filter(c -> c.name().equals(sinkName))
                .mapToLong(SinkChannel::dropped)
                .sum();
    }

    /** Deliveries to the sink of that name that threw. */
    public long failures(String sinkName) {
        return channels.values().stream()
                .filter(c -> c.name().equals(sinkName))
                .mapToLong(SinkChannel::failures)
                .sum();
    }

    @Deactivate
    void close() {
        for (Long id : channels.keySet()) {
            remove(id);
        }
    }

    private void publish(Consumer<MonitoringSink> delivery) {
        for (SinkChannel channel : channels.values()) {
            channel.offer(delivery);
        }
    }

    private static String nameOf(MonitoringSink sink, long serviceId) {
        try {
            String name = sink.name();
            if (name != null && !name.isBlank()) {
                // the name becomes a thread name and log text: keep it printable
                return name.codePoints()
                        .map(c -> Character.isISOControl(c) ? '?' : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString();
            }
        } catch (RuntimeException e) {
            // a sink's bug in name() must not stop its deliveries
        }
        return "sink-" + serviceId;
    }
}
