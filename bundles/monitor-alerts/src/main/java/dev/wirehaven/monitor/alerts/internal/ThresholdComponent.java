package dev.wirehaven.monitor.alerts.internal;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One threshold from its factory configuration ({@value #PID}{@code -<name>}), registered while that
 * configuration is valid; {@link AlertsSink} picks it up at once and drops it when it is deleted or
 * changed.
 *
 * <p>Why one component per configuration, whiteboarded by the one sink, rather than a sink per
 * threshold: the server gives every sink its own queue and delivery thread, which thresholds do not
 * need; a share ({@code relative.to}) needs samples of another metric; and the operator's command
 * lists every threshold from one place. Declarative Services still gives each configuration its own
 * life: a bad one is refused with one ERROR line naming the file and the key while the others go on,
 * and the bundle needs no Configuration Admin code of its own.
 */
@Component(
        service = ThresholdComponent.class,
        configurationPid = ThresholdComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ThresholdConfig.class, factory = true)
public final class ThresholdComponent {

    /** The factory PID of thresholds. */
    public static final String PID = "dev.wirehaven.monitor.alerts.threshold";

    private static final Logger LOG = LoggerFactory.getLogger(ThresholdComponent.class);

    private final Threshold threshold;

    @Activate
    public ThresholdComponent(ThresholdConfig config, Map<String, Object> properties) {
        try {
            this.threshold = Threshold.from(config);
        } catch (ThresholdConfigException e) {
            LOG.error(
                    "Alert threshold not used: {} in {}; fix the key and save the file again",
                    e.getMessage(),
                    ConfigurationOrigin.of(properties).describe());
            throw e;
        }
        LOG.info("Alert threshold {}: {}", threshold.name(), ThresholdText.condition(threshold));
    }

    Threshold threshold() {
        return threshold;
    }
}
