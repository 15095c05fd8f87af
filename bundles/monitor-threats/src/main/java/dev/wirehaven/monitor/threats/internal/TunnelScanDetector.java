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
 * Scans inside the tunnel: the counter {@value #METRIC} (tags {@code interface}, {@code user},
 * {@code session}) estimates how many distinct destinations the policy denied a session's traffic.
 * A client that tries many destinations it may not reach is mapping the network behind the server
 * (or is infected and spreading); its increase within a sliding window makes a finding at the
 * threshold, and by default the session is revoked.
 */
@Component(
        service = Detector.class,
        configurationPid = TunnelScanDetector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TunnelScanDetector.Config.class)
public final class TunnelScanDetector extends CounterBurstDetector<TunnelScanDetector.Config> {

    static final String NAME = "tunnel-scan";
    /** The name with dots for hyphens: FileInstall reads a hyphen in etc/ file names as a factory separator. */
    static final String PID = "dev.wirehaven.threats.tunnel.scan";

    static final String METRIC = "policy.denied.destinations";

    private static final Set<ResponseAction> ACTIONS = EnumSet.of(
            ResponseAction.ALERT,
            ResponseAction.REVOKE_SESSION,
            ResponseAction.REQUIRE_STEP_UP,
            ResponseAction.DISABLE_USER);

    @ObjectClassDefinition(
            name = "Wirehaven threats: tunnel scan",
            description = "A session whose traffic is denied to many distinct destinations")
    public @interface Config {
        @AttributeDefinition(description = "Whether the detector judges anything")
        boolean enabled() default true;

        @AttributeDefinition(
                description = "Newly denied destinations of one session within the window that make a finding")
        long threshold() default 50;

        @AttributeDefinition(description = "The sliding window (90s, 5m, 1h, PT5M)")
        String window() default "5m";

        @AttributeDefinition(
                description = "The response: REVOKE_SESSION, REQUIRE_STEP_UP or DISABLE_USER (the"
                        + " session's user), or ALERT")
        String response() default "REVOKE_SESSION";

        @AttributeDefinition(description = "How long DISABLE_USER lasts")
        String response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding")
        String severity() default "HIGH";

        @AttributeDefinition(description = "Sessions tracked at most; the stalest is forgotten")
        int max_tracked_keys() default Bounded.DEFAULT_KEYS;
    }

    @Activate
    public TunnelScanDetector(@Reference FindingReporter reporter, Map<String, Object> properties) {
        super(NAME, Config.class, reporter, Clock.systemUTC());
        configure(properties);
    }

    TunnelScanDetector(FindingReporter reporter, Config config, Clock clock) {
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
    public synchronized void metric(MetricSample sample) {
        CounterBurstSettings s = settings();
        if (!s.enabled() || !METRIC.equals(sample.name()) || sample.kind() != MetricSample.Kind.COUNTER) {
            return;
        }
        String session = sample.tags().get("session");
        if (session == null || session.isBlank()) {
            return;
        }
        String user = sample.tags().get("user");
        String owner = user == null || user.isBlank() ? null : user;
        Instant now = clock.instant();
        OptionalDouble n = grew(session, sample.value(), session, s.rule(), now);
        if (n.isPresent()) {
            String detail = "session " + session + (owner == null ? "" : " of " + Texts.quoted(owner)) + " was denied "
                    + Texts.plain(n.getAsDouble()) + " distinct destinations within "
                    + s.rule().window();
            Finding f = new Finding(SecurityEvent.THREAT_TUNNEL_SCAN, detail, null, owner, session);
            if (f.targetOf(s.rule().action()) == null) {
                // a user action on a sample without a user tag: an alert is all that can be done
                reporter.report(NAME, f, alertInstead(s.rule()), now);
            } else {
                reporter.report(NAME, f, s.rule(), now);
            }
        }
    }

    private static Rule alertInstead(Rule rule) {
        return new Rule(rule.threshold(), rule.window(), rule.severity(), ResponseAction.ALERT, rule.duration());
    }

    @Override
    String describe(CounterBurstSettings s) {
        return s.describe("denied destinations per session");
    }
}
