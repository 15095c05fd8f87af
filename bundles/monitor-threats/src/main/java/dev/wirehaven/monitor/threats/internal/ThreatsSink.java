package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.MonitoringSink;
import dev.wirehaven.api.monitor.SecurityEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink named {@value #NAME}: hands every metric sample and security event the server delivers to
 * every detector of this bundle. The server calls a sink from the sink's own thread, one item at a time,
 * so the detectors see items in order and never slow a client down. A detector that throws is logged
 * and the others still get the item: nothing is thrown back at the sink thread.
 */
@Component(service = MonitoringSink.class, property = MonitoringSink.NAME_PROPERTY + "=" + ThreatsSink.NAME)
public final class ThreatsSink implements MonitoringSink {

    static final String NAME = "threats";

    private static final Logger LOG = LoggerFactory.getLogger(ThreatsSink.class);

    @Reference(
            service = Detector.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.UPDATE)
    private final List<Detector> detectors = new CopyOnWriteArrayList<>();

    public ThreatsSink() {}

    /** For tests: with these detectors. */
    ThreatsSink(List<Detector> detectors) {
        this.detectors.addAll(detectors);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void metric(MetricSample sample) {
        deliver(d -> d.metric(sample), sample.name());
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        deliver(d -> d.securityEvent(event), event.type());
    }

    private void deliver(Consumer<Detector> call, String what) {
        for (Detector d : detectors) {
            try {
                call.accept(d);
            } catch (RuntimeException e) {
                LOG.warn("Detector {} failed on {}: {}", d.name(), what, e.toString());
            }
        }
    }
}
