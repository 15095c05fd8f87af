package dev.wirehaven.responses.internal;

import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.response.ResponseRequest;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponses;
import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.server.support.store.SchemaMigrations;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@link SecurityResponses}, the only one: the {@link ResponseLedger} over the store
 * that is registered, reporting through the server's {@link SecurityEvents}, acting on the session
 * layer while one runs and enforcing blocks on every WireGuard device. A task ends expired responses
 * once a second (and {@code isBlocked} and {@code isDisabled} look at the expiry themselves, so
 * nothing outlives its time by that second).
 *
 * <p>Its configuration is optional. A bad value is refused with one ERROR line and the rules in force
 * stay as they were (at activation: the defaults), because a typo must not lift the allow-list or
 * stop the responses.
 */
@Component(
        service = SecurityResponses.class,
        configurationPid = SecurityResponsesComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityResponsesComponent.Config.class)
public final class SecurityResponsesComponent implements SecurityResponses {

    static final String PID = "dev.wirehaven.responses";

    /** The defaults of {@link Config}, for the rules in force before a configuration is read. */
    static final List<String> DEFAULT_ALLOW_LIST = List.of("127.0.0.0/8", "::1/128");

    static final String DEFAULT_MAX_DURATION = "7d";
    static final List<String> DEFAULT_STEP_UP_METHODS = List.of("totp");

    private static final Logger LOG = LoggerFactory.getLogger(SecurityResponsesComponent.class);

    @ObjectClassDefinition(
            name = "Wirehaven security responses",
            description = "What responses to threats may touch and for how long they stay in force")
    public @interface Config {
        @AttributeDefinition(
                description = "Never blocked, revoked, stepped up or disabled: IP addresses or prefixes"
                        + " (10.0.0.0/8, 127.0.0.1, fd00::/8) and user:<name> entries")
        String[] allowList() default {"127.0.0.0/8", "::1/128"};

        @AttributeDefinition(
                description = "The longest a block or a disabled user stays in force (such as 12h, 7d);"
                        + " longer requests are capped")
        String maxDuration() default DEFAULT_MAX_DURATION;

        @AttributeDefinition(description = "The auth methods a step-up asks for, one of which the user passes")
        String[] stepUpMethods() default {"totp"};
    }

    private final DeviceBlocks devices = new DeviceBlocks();
    private final ResponseLedger ledger;
    private final ScheduledExecutorService expiry;

    /** The session layer, while one runs (it comes and goes with the interface it serves). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SessionAdmin sessionAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SessionDirectory sessionDirectory;

    @Activate
    public SecurityResponsesComponent(
            @Reference(target = "(wirehaven.store=*)") DataSource store,
            @Reference SecurityEvents events,
            Config config,
            Map<String, Object> properties) {
        Clock clock = Clock.systemUTC();
        migrate(store, clock);
        ResponseSettings settings = read(config, properties).orElseGet(ResponseSettings::defaults);
        LOG.info("Security responses: {}", settings.describe());
        this.ledger = new ResponseLedger(
                settings,
                new ResponseStore(store),
                new ResponseReports(events),
                new SessionLayer(() -> sessionAdmin, () -> sessionDirectory),
                devices::blockOnly,
                clock);
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wirehaven-responses-expiry");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private static void migrate(DataSource store, Clock clock) {
        try {
            new SchemaMigrations(store, ResponseSchema.TRACK, clock).migrate();
        } catch (RuntimeException e) {
            LOG.error(
                    "The responses' table could not be brought up to date; responses are kept in memory"
                            + " and are lost at a restart: {}",
                    e.toString());
        }
    }

    private void tick() {
        try {
            ledger.tick();
        } catch (RuntimeException e) {
            // a failing tick must not end the schedule: the next one tries again
            LOG.error("Ending expired security responses failed: {}", e.toString());
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        read(config, properties).ifPresent(next -> {
            ledger.settings(next);
            LOG.info("Security responses: {}", next.describe());
        });
    }

    /** The configured rules, or empty after the ERROR line that says why not. */
    private static Optional<ResponseSettings> read(Config config, Map<String, Object> properties) {
        try {
            return Optional.of(ResponseSettings.read(config.allowList(), config.maxDuration(), config.stepUpMethods()));
        } catch (ResponseConfigException e) {
            String file = ConfigurationOrigin.of(properties).file();
            LOG.error(
                    "{} not applied, the security responses keep the rules in force: {}",
                    new ConfigurationOrigin(PID, file).describe(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The rules in force now. */
    ResponseSettings settings() {
        return ledger.settings();
    }

    @Deactivate
    void deactivate() {
        expiry.shutdownNow();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindDevice")
    void bindDevice(WireGuardDevice device) {
        devices.add(device);
    }

    void unbindDevice(WireGuardDevice device) {
        devices.remove(device);
    }

    @Override
    public SecurityResponse apply(ResponseRequest request) {
        return ledger.apply(request);
    }

    @Override
    public Optional<SecurityResponse> undo(String id, String by) {
        return ledger.undo(id, by);
    }

    @Override
    public List<SecurityResponse> active() {
        return ledger.active();
    }

    @Override
    public List<SecurityResponse> recent(int limit) {
        return ledger.recent(limit);
    }

    @Override
    public boolean isBlocked(InetAddress source) {
        return ledger.isBlocked(source);
    }

    @Override
    public boolean isDisabled(String user) {
        return ledger.isDisabled(user);
    }
}
