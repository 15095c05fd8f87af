package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Handshake floods: the counter {@value #METRIC} (tags {@code interface}, {@code source}) counts, per
 * source, the handshake messages the WireGuard device's rate limiter refused from a source that proved
 * its address with a cookie, so the address is the sender's and blocking it hits the sender. Its
 * increase within a sliding window, summed over interfaces, makes a finding at the threshold.
 */
@Component(
        service = Detector.class,
        configurationPid = HandshakeFloodDetector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HandshakeFloodDetector.Config.class)
public final class HandshakeFloodDetector extends CounterBurstDetector<HandshakeFloodDetector.Config> {

    static final String NAME = "handshake-flood";
    /** The name with dots for hyphens: FileInstall reads a hyphen in etc/ file names as a factory separator. */
    static final String PID = "dev.wirehaven.threats.handshake.flood";

    static final String METRIC = "handshake.rate-limited";

    private static final Set<ResponseAction> ACTIONS = EnumSet.of(ResponseAction.ALERT, ResponseAction.BLOCK_SOURCE);

    @ObjectClassDefinition(
            name = "Wirehaven threats: handshake flood",
            description = "A source whose WireGuard handshakes the rate limiter keeps refusing")
    public @interface Config {
        @AttributeDefinition(description = "Whether the detector judges anything")
        boolean enabled() default true;

        @AttributeDefinition(description = "Refused handshakes from one source within the window that make a finding")
        long threshold() default 500;

        @AttributeDefinition(description = "The sliding window (90s, 5m, 1h, PT1M)")
        String window() default "1m";

        @AttributeDefinition(description = "The response: BLOCK_SOURCE or ALERT")
        String response() default "BLOCK_SOURCE";

        @AttributeDefinition(description = "How long a block lasts")
        String response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding")
        String severity() default "HIGH";

        @AttributeDefinition(description = "Sources tracked at most; the stalest is forgotten")
        int max_tracked_keys() default Bounded.DEFAULT_KEYS;
    }

    @Activate
    public HandshakeFloodDetector(@Reference FindingReporter reporter, Map<String, Object> properties) {
        super(NAME, Config.class, reporter, Clock.systemUTC());
        configure(properties);
    }

    HandshakeFloodDetector(FindingReporter reporter, Config config, Clock clock) {
        super(NAME, Config.class, reporter, clock);
        configure(config);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Override
    CounterBurstSettings read(SettingsReader r, Config c) throws BadSetting {
        return CounterBurstSettings.read(
                r,
                c.enabled(),
                c.threshold(),
                c.window(),
                c.severity(),
                c.response(),
                c.response_duration(),
                c.max_tracked_keys(),
                ACTIONS);
    }

    @Override
    public synchronized void securityEvent(SecurityEvent event) {
        if (SecurityEvent.RESPONSE_ENDED.equals(event.type()) && event.source() != null) {
            responseEnded(event.source().getHostAddress()); // its block ended: judge it afresh
        }
    }

    @Override
    public synchronized void metric(MetricSample sample) {
        CounterBurstSettings s = settings();
        if (!s.enabled() || !METRIC.equals(sample.name()) || sample.kind() != MetricSample.Kind.COUNTER) {
            return;
        }
        String source = sample.tags().get("source");
        if (source == null || source.isBlank()) {
            return;
        }
        String iface = sample.tags().getOrDefault("interface", "");
        Instant now = clock.instant();
        OptionalDouble n = grew(iface + " " + source, sample.value(), source, s.rule(), now);
        if (n.isPresent()) {
            String detail = Texts.plain(n.getAsDouble()) + " handshakes from " + source
                    + " refused by the rate limiter within " + s.rule().window()
                    + (iface.isEmpty() ? "" : " (last on " + iface + ")");
            reporter.report(
                    NAME, Finding.ofAddress(SecurityEvent.THREAT_HANDSHAKE_FLOOD, detail, source), s.rule(), now);
        }
    }

    @Override
    String describe(CounterBurstSettings s) {
        return s.describe("refused handshakes per source");
    }
}
