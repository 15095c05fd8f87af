package dev.wirehaven.monitor.threats.internal;

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
 * Password guessing: failed logins ({@link SecurityEvent#AUTH_FAILURE}) counted per source address and
 * per user name as entered, each in a sliding window. Many failures from one source is an attacker
 * guessing: by default that source is blocked. Many failures for one user from anywhere is someone
 * guessing that user's password from many addresses: by default only an alert, because disabling the
 * user would let any attacker lock a victim out by failing on purpose.
 */
@Component(
        service = Detector.class,
        configurationPid = PasswordGuessingDetector.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PasswordGuessingDetector.Config.class)
public final class PasswordGuessingDetector
        extends ConfiguredDetector<PasswordGuessingDetector.Config, PasswordGuessingDetector.Settings> {

    static final String NAME = "password-guessing";
    /** The name with dots for hyphens: FileInstall reads a hyphen in etc/ file names as a factory separator. */
    static final String PID = "dev.wirehaven.threats.password.guessing";

    private static final Set<ResponseAction> SOURCE_ACTIONS =
            EnumSet.of(ResponseAction.ALERT, ResponseAction.BLOCK_SOURCE);
    private static final Set<ResponseAction> USER_ACTIONS =
            EnumSet.of(ResponseAction.ALERT, ResponseAction.REQUIRE_STEP_UP, ResponseAction.DISABLE_USER);

    @ObjectClassDefinition(
            name = "Wirehaven threats: password guessing",
            description = "Repeated failed logins from one source or for one user")
    public @interface Config {
        @AttributeDefinition(description = "Whether the detector judges anything")
        boolean enabled() default true;

        @AttributeDefinition(description = "The sliding window failures are counted in (90s, 5m, 1h, PT5M)")
        String window() default "5m";

        @AttributeDefinition(description = "Failures from one source within the window that make a finding")
        long source_threshold() default 10;

        @AttributeDefinition(description = "The response to a source: BLOCK_SOURCE or ALERT")
        String source_response() default "BLOCK_SOURCE";

        @AttributeDefinition(description = "How long a source block lasts")
        String source_response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding for a source")
        String source_severity() default "HIGH";

        @AttributeDefinition(description = "Failures for one user name within the window that make a finding")
        long user_threshold() default 20;

        @AttributeDefinition(
                description = "The response for a user: ALERT, REQUIRE_STEP_UP or DISABLE_USER"
                        + " (DISABLE_USER lets an attacker lock the user out)")
        String user_response() default "ALERT";

        @AttributeDefinition(description = "How long DISABLE_USER lasts")
        String user_response_duration() default "15m";

        @AttributeDefinition(description = "The severity of a finding for a user")
        String user_severity() default "MEDIUM";

        @AttributeDefinition(description = "Sources and user names tracked at most; the stalest is forgotten")
        int max_tracked_keys() default Bounded.DEFAULT_KEYS;
    }

    /** Checked settings. */
    record Settings(boolean enabled, Rule bySource, Rule byUser, int maxKeys) {}

    private final FindingReporter reporter;
    private final Clock clock;
    private Bursts sources;
    private Bursts users;

    @Activate
    public PasswordGuessingDetector(@Reference FindingReporter reporter, Map<String, Object> properties) {
        this(reporter, Clock.systemUTC());
        configure(properties);
    }

    PasswordGuessingDetector(FindingReporter reporter, Config config, Clock clock) {
        this(reporter, clock);
        configure(config);
    }

    private PasswordGuessingDetector(FindingReporter reporter, Clock clock) {
        super(NAME, Config.class);
        this.reporter = reporter;
        this.clock = clock;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Override
    Settings read(SettingsReader r, Config c) throws BadSetting {
        var window = r.duration("window", c.window());
        return new Settings(
                c.enabled(),
                new Rule(
                        r.atLeast("source.threshold", c.source_threshold(), 1),
                        window,
                        r.severity("source.severity", c.source_severity()),
                        r.action("source.response", c.source_response(), SOURCE_ACTIONS),
                        r.duration("source.response.duration", c.source_response_duration())),
                new Rule(
                        r.atLeast("user.threshold", c.user_threshold(), 1),
                        window,
                        r.severity("user.severity", c.user_severity()),
                        r.action("user.response", c.user_response(), USER_ACTIONS),
                        r.duration("user.response.duration", c.user_response_duration())),
                (int) r.atLeast("max.tracked.keys", c.max_tracked_keys(), 1));
    }

    @Override
    synchronized void apply(Settings previous, Settings next) {
        if (previous == null || previous.maxKeys() != next.maxKeys()) {
            sources = new Bursts(next.maxKeys());
            users = new Bursts(next.maxKeys());
        }
    }

    @Override
    public synchronized void securityEvent(SecurityEvent event) {
        Settings s = settings();
        if (SecurityEvent.RESPONSE_ENDED.equals(event.type())) {
            // a block of a source or a disable of a user ended: judge them afresh
            if (event.source() != null) {
                sources.responseEnded(event.source().getHostAddress());
            }
            if (!event.user().isBlank()) {
                users.responseEnded(event.user().strip());
            }
            return;
        }
        if (!s.enabled() || !SecurityEvent.AUTH_FAILURE.equals(event.type())) {
            return;
        }
        Instant now = clock.instant();
        String user = event.user().strip();
        if (event.source() != null) {
            String source = event.source().getHostAddress();
            OptionalDouble n = sources.add(source, 1, s.bySource(), now);
            if (n.isPresent()) {
                String detail = Texts.plain(n.getAsDouble()) + " failed logins from " + source + " within "
                        + s.bySource().window() + (user.isEmpty() ? "" : ", the last for " + Texts.quoted(user));
                reporter.report(
                        NAME,
                        Finding.ofAddress(SecurityEvent.THREAT_PASSWORD_GUESSING, detail, source),
                        s.bySource(),
                        now);
            }
        }
        if (!user.isEmpty()) {
            OptionalDouble n = users.add(user, 1, s.byUser(), now);
            if (n.isPresent()) {
                String detail = Texts.plain(n.getAsDouble()) + " failed logins for user " + Texts.quoted(user)
                        + " within " + s.byUser().window()
                        + (event.source() == null
                                ? ""
                                : ", the last from " + event.source().getHostAddress());
                reporter.report(
                        NAME, Finding.ofUser(SecurityEvent.THREAT_PASSWORD_GUESSING, detail, user), s.byUser(), now);
            }
        }
    }

    /** For tests: how many sources and users are tracked. */
    synchronized int trackedKeys() {
        return sources.size() + users.size();
    }

    @Override
    String describe(Settings s) {
        return (s.enabled() ? "enabled" : "DISABLED") + ", max " + s.maxKeys() + " keys"
                + "\n    per source " + s.bySource().describeThreshold() + " -> "
                + s.bySource().describeResponse()
                + "\n    per user " + s.byUser().describeThreshold() + " -> "
                + s.byUser().describeResponse();
    }
}
