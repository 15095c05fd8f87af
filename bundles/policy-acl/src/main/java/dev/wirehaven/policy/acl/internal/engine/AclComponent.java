package dev.wirehaven.policy.acl.internal.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: loads the policy file, registers the {@link AclEngine} with the version in force,
 * and polls the file on one daemon thread so that each valid edit is in force within a second. A change
 * of the configuration {@value #PID} restarts it (the file may be another one).
 *
 * <p>A bad configuration value stops activation with an ERROR naming the key, so the engine is absent;
 * the server then denies what no other engine allows, which is the safe side.
 */
@Component(
        service = AclComponent.class,
        immediate = true,
        configurationPid = AclComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AclConfig.class)
public final class AclComponent {

    /** The configuration PID: {@code etc/dev.wirehaven.policy.acl.cfg}. */
    public static final String PID = "dev.wirehaven.policy.acl";

    private static final Logger LOG = LoggerFactory.getLogger(AclComponent.class);
    private static final long MIN_POLL_MILLIS = 50;
    private static final long MAX_POLL_MILLIS = 10_000;

    private final ActivePolicy active;
    private final AclEngine engine;
    private final PolicyWatcher watcher;
    private final EngineService service;
    private final ScheduledExecutorService poller;
    /** The policy shared with the other nodes of a cluster; null on a single node. */
    private final SharedPolicy shared;

    /**
     * @param shared the database that the gateway nodes of a cluster share, when the server uses one: the
     *     policy is then one for every node ({@link SharedPolicy}); null on a single node
     */
    @Activate
    public AclComponent(
            BundleContext context,
            AclConfig config,
            @Reference(
                            cardinality = ReferenceCardinality.OPTIONAL,
                            policyOption = ReferencePolicyOption.GREEDY,
                            target = "(wirehaven.store=postgres)")
                    DataSource shared) {
        this(
                context,
                PolicyLocation.of(config.file(), context.getProperty(PolicyLocation.HOME_PROPERTY)),
                config,
                shared);
    }

    private AclComponent(BundleContext context, PolicyLocation location, AclConfig config, DataSource shared) {
        this(
                context,
                PolicyFile.at(location.path()),
                location.configured(),
                config,
                Clock.systemDefaultZone(),
                shared == null ? null : new PolicyDocuments(shared));
    }

    AclComponent(BundleContext context, PolicyFile file, boolean configured, AclConfig config, Clock clock) {
        this(context, file, configured, config, clock, null);
    }

    AclComponent(
            BundleContext context,
            PolicyFile file,
            boolean configured,
            AclConfig config,
            Clock clock,
            PolicyDocuments documents) {
        long ttl = config.decision_ttl_seconds();
        long poll = config.poll_interval_millis();
        if (ttl < 0) {
            throw new IllegalArgumentException(PID + ": decision.ttl.seconds is " + ttl + "; use 0 or more");
        }
        if (poll < MIN_POLL_MILLIS || poll > MAX_POLL_MILLIS) {
            throw new IllegalArgumentException(
                    PID + ": poll.interval.millis is " + poll + "; use " + MIN_POLL_MILLIS + " to " + MAX_POLL_MILLIS);
        }
        String source = file.path().toString();
        active = new ActivePolicy(source);
        engine = new AclEngine(active, clock, Duration.ofSeconds(ttl));
        service = new EngineService(source);
        EngineService announcer = service;
        watcher = new PolicyWatcher(file, configured, active, clock, v -> announcer.announce(v.number()));
        watcher.loadNow();
        shared = documents == null ? null : new SharedPolicy(documents, file, active, clock, nodeName(file));
        if (shared != null) {
            shared.start();
        }
        service.register(context, engine, active.current().number());
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wirehaven-policy-acl-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollQuietly, poll, poll, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
        try {
            if (!poller.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("The policy watcher did not stop within 2 s; the engine is unregistered anyway.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.unregister();
    }

    ActivePolicy active() {
        return active;
    }

    AclEngine engine() {
        return engine;
    }

    /** This node as the other nodes' logs name it: the host and the file. */
    private static String nodeName(PolicyFile file) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown host";
        }
        return host + ":" + file.path();
    }

    /** One poll, as the scheduler makes it (tests call it without waiting). */
    PolicyWatcher.Outcome poll() {
        PolicyWatcher.Outcome outcome = watcher.reloadIfChanged();
        if (shared != null) {
            shared.round();
        }
        return outcome;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            // an exception would cancel the schedule, and edits would silently stop taking effect
            LOG.error("Reading the policy file failed; the policy in force stays, the next poll tries again.", e);
        }
    }
}
