package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionView;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Concurrent locations: one user's open sessions whose WireGuard endpoints lie in more than one
 * network at once (a /24 or a /48 apart by default). A person is in one place; two places at once is a
 * shared or stolen credential, so by default every session of the user is asked for one more factor.
 *
 * <p>The check runs on the sink's thread when a metric or a security event arrives and at least
 * {@code interval} has passed since the last one: the server samples metrics every few seconds, so no
 * thread of our own is needed, and the check never runs concurrently with itself. A user is reported
 * once for a set of networks, and again only when a network that was not reported yet joins it; once the
 * user's sessions are back in one network, the next spread is new.
 */
@Component(
        service = Detector.class,
        configurationPid = ConcurrentLocationsDetector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConcurrentLocationsDetector.Config.class)
public final class ConcurrentLocationsDetector
        extends ConfiguredDetector<ConcurrentLocationsDetector.Config, ConcurrentLocationsDetector.Settings> {

    static final String NAME = "concurrent-locations";
    /** The name with dots for hyphens: FileInstall reads a hyphen in etc/ file names as a factory separator. */
    static final String PID = "dev.wirehaven.threats.concurrent.locations";

    private static final Set<ResponseAction> ACTIONS =
            EnumSet.of(ResponseAction.ALERT, ResponseAction.REQUIRE_STEP_UP, ResponseAction.DISABLE_USER);

    @ObjectClassDefinition(
            name = "Wirehaven threats: concurrent locations",
            description = "One user's sessions coming from several networks at once")
    public @interface Config {
        @AttributeDefinition(description = "Whether the detector judges anything")
        boolean enabled() default true;

        @AttributeDefinition(description = "How often the sessions' endpoints are checked")
        String interval() default "30s";

        @AttributeDefinition(description = "IPv4 endpoints in the same prefix of this length are one network")
        int ipv4_prefix_length() default 24;

        @AttributeDefinition(description = "IPv6 endpoints in the same prefix of this length are one network")
        int ipv6_prefix_length() default 48;

        @AttributeDefinition(description = "The response: REQUIRE_STEP_UP, DISABLE_USER or ALERT")
        String response() default "REQUIRE_STEP_UP";

        @AttributeDefinition(description = "How long DISABLE_USER lasts")
        String response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding")
        String severity() default "MEDIUM";

        @AttributeDefinition(description = "Users remembered as reported at most; the stalest is forgotten")
        int max_tracked_keys() default Bounded.DEFAULT_KEYS;
    }

    /** Checked settings; the rule's threshold is 2 networks and its window the interval. */
    record Settings(boolean enabled, Duration interval, int ipv4Length, int ipv6Length, Rule rule, int maxKeys) {}

    private final FindingReporter reporter;
    private final SessionDirectory directory;
    private final Clock clock;
    private Bounded<String, Set<String>> reported;
    private Instant lastCheck = Instant.MIN;

    @Activate
    public ConcurrentLocationsDetector(
            @Reference FindingReporter reporter,
            @Reference SessionDirectory directory,
            Map<String, Object> properties) {
        this(reporter, directory, Clock.systemUTC());
        configure(properties);
    }

    ConcurrentLocationsDetector(FindingReporter reporter, SessionDirectory directory, Config config, Clock clock) {
        this(reporter, directory, clock);
        configure(config);
    }

    private ConcurrentLocationsDetector(FindingReporter reporter, SessionDirectory directory, Clock clock) {
        super(NAME, Config.class);
        this.reporter = reporter;
        this.directory = directory;
        this.clock = clock;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Override
    Settings read(SettingsReader r, Config c) throws BadSetting {
        Duration interval = r.duration("interval", c.interval());
        return new Settings(
                c.enabled(),
                interval,
                (int) r.between("ipv4.prefix.length", c.ipv4_prefix_length(), 1, 32),
                (int) r.between("ipv6.prefix.length", c.ipv6_prefix_length(), 1, 128),
                new Rule(
                        2,
                        interval,
                        r.severity("severity", c.severity()),
                        r.action("response", c.response(), ACTIONS),
                        r.duration("response.duration", c.response_duration())),
                (int) r.atLeast("max.tracked.keys", c.max_tracked_keys(), 1));
    }

    @Override
    synchronized void apply(Settings previous, Settings next) {
        if (previous == null || previous.maxKeys() != next.maxKeys()) {
            reported = new Bounded<>(next.maxKeys());
        }
    }

    @Override
    public synchronized void metric(MetricSample sample) {
        tick();
    }

    @Override
    public synchronized void securityEvent(SecurityEvent event) {
        tick();
    }

    private void tick() {
        Settings s = settings();
        Instant now = clock.instant();
        if (!s.enabled() || now.isBefore(lastCheck.plus(s.interval()))) {
            return;
        }
        lastCheck = now;
        check(s, now);
    }

    private void check(Settings s, Instant now) {
        Map<String, InetSocketAddress> endpoints = directory.endpoints();
        Map<String, Set<String>> networksByUser = new HashMap<>();
        for (SessionView session : directory.sessions()) {
            InetSocketAddress endpoint = endpoints.get(session.id());
            if (session.identity() == null || endpoint == null || endpoint.getAddress() == null) {
                continue; // not logged in yet, or its peer has not sent: no place to tell
            }
            networksByUser
                    .computeIfAbsent(session.identity().user(), u -> new TreeSet<>())
                    .add(Networks.of(endpoint.getAddress(), s.ipv4Length(), s.ipv6Length()));
        }
        reported.keySet()
                .removeIf(user -> networksByUser.getOrDefault(user, Set.of()).size() < 2);
        for (Map.Entry<String, Set<String>> e : networksByUser.entrySet()) {
            String user = e.getKey();
            Set<String> networks = e.getValue();
            Set<String> before = reported.get(user);
            if (networks.size() < 2 || (before != null && before.containsAll(networks))) {
                continue;
            }
            Set<String> all = new TreeSet<>(networks);
            if (before != null) {
                all.addAll(before);
            }
            reported.put(user, all);
            String detail = "user " + Texts.quoted(user) + " has open sessions from " + networks.size()
                    + " networks at once: " + String.join(", ", networks);
            reporter.report(
                    NAME, Finding.ofUser(SecurityEvent.THREAT_CONCURRENT_LOCATIONS, detail, user), s.rule(), now);
        }
    }

    /** For tests: how many users are remembered as reported. */
    synchronized int trackedUsers() {
        return reported.size();
    }

    @Override
    String describe(Settings s) {
        return (s.enabled() ? "enabled" : "DISABLED") + ", max " + s.maxKeys() + " keys"
                + "\n    per user, every " + s.interval() + ": sessions from > 1 network (IPv4 /" + s.ipv4Length()
                + ", IPv6 /" + s.ipv6Length() + ") -> " + s.rule().describeResponse();
    }
}
