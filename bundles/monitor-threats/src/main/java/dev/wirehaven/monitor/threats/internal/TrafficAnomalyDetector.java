package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
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
 * Traffic anomalies: the counters {@value #RECEIVED} and {@value #SENT} (tags {@code interface},
 * {@code user}, {@code session}, sampled about every 10 s) summed over all of a user's sessions into a
 * rate per interval, judged against that user's own baseline ({@link UserTraffic}). A user moving ten
 * times their usual volume, and a lot in absolute terms, may be exfiltrating data with stolen
 * credentials.
 */
@Component(
        service = Detector.class,
        configurationPid = TrafficAnomalyDetector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TrafficAnomalyDetector.Config.class)
public final class TrafficAnomalyDetector extends ConfiguredDetector<TrafficAnomalyDetector.Config, TrafficSettings> {

    static final String NAME = "traffic-anomaly";
    /** The name with dots for hyphens: FileInstall reads a hyphen in etc/ file names as a factory separator. */
    static final String PID = "dev.wirehaven.threats.traffic.anomaly";

    static final String RECEIVED = "peer.bytes.received";
    static final String SENT = "peer.bytes.sent";

    private static final Set<ResponseAction> ACTIONS =
            EnumSet.of(ResponseAction.ALERT, ResponseAction.REQUIRE_STEP_UP, ResponseAction.DISABLE_USER);

    @ObjectClassDefinition(
            name = "Wirehaven threats: traffic anomaly",
            description = "A user's traffic far above that user's usual rate")
    public @interface Config {
        @AttributeDefinition(description = "Whether the detector judges anything")
        boolean enabled() default true;

        @AttributeDefinition(description = "The interval a rate is measured over (at least the metrics period)")
        String interval() default "10s";

        @AttributeDefinition(description = "Intervals a user's baseline learns before it judges")
        long learning_intervals() default 30;

        @AttributeDefinition(description = "A rate above this many times the baseline is anomalous")
        double factor() default 10.0;

        @AttributeDefinition(description = "...and only when it is at least this many bytes per second")
        double floor_bytes_per_second() default 10_000_000;

        @AttributeDefinition(description = "The weight of a new interval in the baseline (0 < w <= 1)")
        double baseline_weight() default 0.1;

        @AttributeDefinition(description = "A finding for a user is not repeated within this time")
        String window() default "15m";

        @AttributeDefinition(description = "The response: ALERT, REQUIRE_STEP_UP or DISABLE_USER")
        String response() default "ALERT";

        @AttributeDefinition(description = "How long DISABLE_USER lasts")
        String response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding")
        String severity() default "MEDIUM";

        @AttributeDefinition(description = "Users and sessions tracked at most; the stalest is forgotten")
        int max_tracked_keys() default Bounded.DEFAULT_KEYS;
    }

    private final FindingReporter reporter;
    private final Clock clock;
    private CounterSeries counters;
    private Bounded<String, UserTraffic> users;

    @Activate
    public TrafficAnomalyDetector(@Reference FindingReporter reporter, Map<String, Object> properties) {
        this(reporter, Clock.systemUTC());
        configure(properties);
    }

    TrafficAnomalyDetector(FindingReporter reporter, Config config, Clock clock) {
        this(reporter, clock);
        configure(config);
    }

    private TrafficAnomalyDetector(FindingReporter reporter, Clock clock) {
        super(NAME, Config.class);
        this.reporter = reporter;
        this.clock = clock;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Override
    TrafficSettings read(SettingsReader r, Config c) throws BadSetting {
        double factor = r.atLeast("factor", c.factor(), 1.0);
        return new TrafficSettings(
                c.enabled(),
                r.duration("interval", c.interval()),
                r.atLeast("learning.intervals", c.learning_intervals(), 1),
                factor,
                r.atLeast("floor.bytes.per.second", c.floor_bytes_per_second(), 0.0),
                r.fraction("baseline.weight", c.baseline_weight()),
                new Rule(
                        factor,
                        r.duration("window", c.window()),
                        r.severity("severity", c.severity()),
                        r.action("response", c.response(), ACTIONS),
                        r.duration("response.duration", c.response_duration())),
                (int) r.atLeast("max.tracked.keys", c.max_tracked_keys(), 1));
    }

    @Override
    synchronized void apply(TrafficSettings previous, TrafficSettings next) {
        if (previous == null || previous.maxKeys() != next.maxKeys()) {
            counters = new CounterSeries(next.maxKeys(), clock);
            users = new Bounded<>(next.maxKeys());
        }
    }

    @Override
    public synchronized void metric(MetricSample sample) {
        TrafficSettings s = settings();
        if (!s.enabled()
                || sample.kind() != MetricSample.Kind.COUNTER
                || !(RECEIVED.equals(sample.name()) || SENT.equals(sample.name()))) {
            return;
        }
        String user = sample.tags().get("user");
        String session = sample.tags().get("session");
        if (user == null || user.isBlank() || session == null || session.isBlank()) {
            return;
        }
        double increase = counters.increase(sample.name() + " " + session, sample.value());
        Instant now = clock.instant();
        UserTraffic traffic = users.computeIfAbsent(user, u -> new UserTraffic());
        UserTraffic.Interval closed = traffic.add(increase, now, s);
        if (closed == null || !closed.anomalous() || traffic.quiet(now)) {
            return;
        }
        traffic.quietUntil(s.rule().quietUntil(now));
        String detail = "user " + Texts.quoted(user) + " moved " + megabytes(closed.rate()) + " MB/s over the last "
                + s.interval() + ", " + Texts.plain(Math.round(closed.rate() / Math.max(1, closed.baseline())))
                + " times the usual " + megabytes(closed.baseline()) + " MB/s";
        reporter.report(NAME, Finding.ofUser(SecurityEvent.THREAT_TRAFFIC_ANOMALY, detail, user), s.rule(), now);
    }

    private static String megabytes(double bytesPerSecond) {
        return Texts.plain(Math.round(bytesPerSecond / 10_000.0) / 100.0);
    }

    /** For tests: the baseline of {@code user} in bytes per second, or -1 when the user is not tracked. */
    synchronized double baselineOf(String user) {
        UserTraffic t = users.get(user);
        return t == null ? -1 : t.baseline();
    }

    /** For tests: how many users are tracked. */
    synchronized int trackedUsers() {
        return users.size();
    }

    @Override
    String describe(TrafficSettings s) {
        return (s.enabled() ? "enabled" : "DISABLED") + ", max " + s.maxKeys() + " keys"
                + "\n    per user rate over " + s.interval() + " > " + Texts.plain(s.factor()) + " x baseline (learns "
                + s.learningIntervals() + " intervals, weight " + Texts.plain(s.weight()) + ") and >= "
                + Texts.plain(s.floorBytesPerSecond()) + " B/s, once per "
                + s.rule().window() + " -> "
                + s.rule().describeResponse();
    }
}
