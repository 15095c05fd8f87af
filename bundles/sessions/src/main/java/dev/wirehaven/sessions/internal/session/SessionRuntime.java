package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.session.SessionAdmin;
import dev.wirehaven.api.session.SessionDirectory;
import dev.wirehaven.api.session.SessionView;
import dev.wirehaven.sessions.internal.cluster.ChangeFeed;
import dev.wirehaven.sessions.internal.monitor.MonitoringDispatcher;
import dev.wirehaven.sessions.internal.monitor.ProcessMetrics;
import dev.wirehaven.sessions.internal.store.ChangeRepository;
import dev.wirehaven.sessions.internal.store.EventLogRepository;
import dev.wirehaven.sessions.internal.store.LeaseRepository;
import dev.wirehaven.sessions.internal.store.NodeRepository;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.internal.store.UsageRepository;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.wireguard.WireGuardDevice;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session layer on one WireGuard device with one store: the flow, the directory, the reaper and
 * the policy polls, wired together. {@link #start} first puts back what a previous run left (the
 * peers of the sessions that are still valid, so that their clients resume without a new login) and
 * finishes what it left half-done; {@link #close} stops the threads and leaves the peers on the
 * device, because a session outlives the component that serves it.
 *
 * <p>The runtime is one gateway node of its store ({@link NodeSettings}): it writes a heartbeat,
 * tells the other nodes what it changed ({@link ClusterChanges}) and applies what they changed
 * ({@link ChangeFeed}, {@link PeerSync}), so that every node holds the peer of every configured
 * session and a client can move between them with a handshake instead of a new login. With the
 * embedded store there is one node and no other writer.
 */
final class SessionRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRuntime.class);

    private final AtomicReference<SessionSettings> settings;
    private final SessionRepository sessions;
    private final PeerTable table;
    private final SessionLocks locks;
    private final PolicyWatch policy;
    private final SessionFlow flow;
    private final SessionViews views;
    private final Reaper reaper;
    private final PeerRestore restore;
    private final ScheduledThreadPoolExecutor reaperThread;
    private final ScheduledThreadPoolExecutor pollTimer;
    private final Clock clock;
    private ScheduledFuture<?> reaperTask;
    private final LoginThrottle throttle;
    private final TrafficEnforcement enforcement;
    private ScheduledFuture<?> enforcementTask;
    private final DeviceMetrics metrics;
    private ScheduledFuture<?> metricsTask;
    private final NodeSettings node;
    private final NodeMembership membership;
    private final ClusterChanges cluster;
    private final ClusterNode clusterNode;

    private SessionRuntime(
            SessionSettings initial,
            NodeSettings node,
            DataSource dataSource,
            WireGuardDevice device,
            List<InetAddress> interfaceAddresses,
            PluginSources plugins,
            MonitoringDispatcher monitor,
            Clock clock) {
        this.settings = new AtomicReference<>(initial);
        this.clock = clock;
        this.node = node;
        this.sessions = new SessionRepository(dataSource, node.name());
        PeerRepository peers = new PeerRepository(dataSource);
        this.table = new PeerTable(device);
        ChangeRepository changes = new ChangeRepository(dataSource);
        this.cluster = new ClusterChanges(changes, node.name(), clock);
        this.membership = new NodeMembership(
                node,
                new NodeRepository(dataSource),
                sessions,
                table,
                settings::get,
                new CpuLoadAverage(ProcessMetrics::processCpuLoad, clock),
                monitor::metric,
                clock);
        AddressLeases leases = new AddressLeases(
                initial,
                interfaceAddresses,
                device.name(),
                new LeaseRepository(dataSource),
                clock,
                () -> table.staticPrefixes().stream()
                        .map(PeerTable.Owned::prefix)
                        .toList());
        this.locks = new SessionLocks();
        this.reaperThread = singleThread("wirehaven-session-reaper");
        this.pollTimer = singleThread("wirehaven-policy-polls");
        EventLogRepository eventLog = new EventLogRepository(dataSource);
        FlowEvents events = new FlowEvents(eventLog, monitor, clock);
        SessionFlow[] self = new SessionFlow[1];
        // the watch reads the current policy through the flow, which needs the watch: one late binding
        this.policy = new PolicyWatch(pollTimer, id -> self[0].currentPolicy(id));
        this.enforcement =
                new TrafficEnforcement(settings::get, plugins.policyEngines(), sessions, table, events, clock);
        Accounting accounting = new Accounting(sessions, new UsageRepository(dataSource), table, events, clock);
        AuthResults authResults = new AuthResults();
        this.metrics = new DeviceMetrics(sessions, table, events, clock, authResults);
        SessionLifecycle lifecycle = new SessionLifecycle(
                sessions, peers, table, leases, policy, events, settings::get, clock, enforcement, accounting, cluster);
        AuthChain chain = new AuthChain(plugins.authProviders(), plugins.realms(), authResults);
        this.throttle = new LoginThrottle();
        Login login = new Login(
                chain,
                throttle,
                new VerificationGate(() -> settings.get().verification()),
                events,
                settings::get,
                plugins.disabledUsers(),
                clock);
        ConnectionRequestLimiter requests = new ConnectionRequestLimiter();
        SessionTokens tokens = new SessionTokens(new SecureRandom());
        SessionAccess access = new SessionAccess(sessions, lifecycle, locks, clock);
        StepUps stepUps = new StepUps();
        SubnetPolicy subnetPolicy = new SubnetPolicy(plugins.policyEngines());
        enforcement.reviewAdvertisementsWith(new AdvertisementReview(
                settings::get, sessions, peers, table, subnetPolicy, locks, events, clock, cluster));
        this.flow = new SessionFlow(
                settings::get,
                new ConnectionRequests(
                        settings::get,
                        new RequestAdmission(requests, sessions, clock),
                        chain,
                        sessions,
                        tokens,
                        table,
                        events),
                new Logins(
                        settings::get,
                        access,
                        login,
                        new KeyOwnership(sessions, lifecycle, locks),
                        tokens,
                        lifecycle,
                        events,
                        sessions),
                new Setup(
                        settings::get,
                        access,
                        sessions,
                        peers,
                        table,
                        leases,
                        new Advertisements(sessions, subnetPolicy, table::staticPrefixes),
                        lifecycle,
                        events,
                        enforcement,
                        cluster,
                        membership),
                new KeepAlive(
                        settings::get, access, sessions, table, policy, lifecycle, events, membership::alternatives),
                stepUps,
                chain,
                new ResourceRequests(
                        settings::get, access, plugins.policyEngines(), enforcement, stepUps, chain, events));
        self[0] = flow;
        this.views = new SessionViews(sessions, table, accounting);
        this.reaper = new Reaper(sessions, eventLog, table, lifecycle, locks, throttle, requests, settings::get, clock);
        this.restore = new PeerRestore(
                settings::get,
                node.name(),
                sessions,
                peers,
                table,
                leases,
                lifecycle,
                locks,
                enforcement,
                reaper,
                clock);
        this.clusterNode = new ClusterNode(
                membership,
                changes,
                new PeerSync(sessions, peers, table, enforcement, policy, locks, clock, membership::active),
                policy,
                dataSource,
                pollTimer,
                clock);
    }

    /**
     * Builds the session layer, restores the peers of the valid sessions onto the device, ends the
     * setups that a crash interrupted after the login, cleans up the rest, and sweeps once. The
     * reaper is not scheduled yet: see {@link #scheduleReaper()}.
     *
     * @param interfaceAddresses the device's own addresses, which the pools never lease
     */
    static SessionRuntime start(
            SessionSettings settings,
            NodeSettings node,
            DataSource dataSource,
            WireGuardDevice device,
            List<InetAddress> interfaceAddresses,
            PluginSources plugins,
            MonitoringDispatcher monitor,
            Clock clock) {
        SessionRuntime runtime =
                new SessionRuntime(settings, node, dataSource, device, interfaceAddresses, plugins, monitor, clock);
        try {
            runtime.clusterNode.feed().begin();
            runtime.restore.atStart();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    ControlPlane controlPlane() {
        return flow;
    }

    /** This node among the nodes of its store. */
    NodeMembership membership() {
        return membership;
    }

    /** The reader of the other nodes' changes (tests drive {@link ChangeFeed#readOnce} themselves). */
    ChangeFeed feed() {
        return clusterNode.feed();
    }

    /** Joins the other nodes of the store from now on (see {@link ClusterNode#join}). */
    void joinCluster() {
        clusterNode.join();
    }

    /** Drains this node for an upgrade (see {@link ClusterNode#drain}). */
    int drain() {
        return clusterNode.drain();
    }

    /** Puts a drained node back in service (see {@link ClusterNode#undrain}). */
    int undrain() {
        return clusterNode.undrain();
    }

    SessionDirectory directory() {
        return views;
    }

    SessionAdmin admin() {
        return new SessionAdmin() {
            @Override
            public Optional<SessionView> revoke(String sessionId, String by) {
                return flow.revoke(sessionId, by).map(s -> SessionViews.view(s, Map.of()));
            }

            @Override
            public boolean requestStepUp(String sessionId, List<String> methods, String reason) {
                return flow.requestStepUp(sessionId, methods, reason);
            }

            @Override
            public List<SessionView> revokeAllOf(String user, String by) {
                List<SessionView> ended = new ArrayList<>();
                for (SessionView open : views.sessionsOf(user)) {
                    revoke(open.id(), by).ifPresent(ended::add);
                }
                return ended;
            }
        };
    }

    /** The failed-login counts (tests look at them). */
    LoginThrottle throttle() {
        return throttle;
    }

    Reaper reaper() {
        return reaper;
    }

    /** The session locks (for tests that check what a step holds while it waits). */
    SessionLocks locks() {
        return locks;
    }

    SessionSettings settings() {
        return settings.get();
    }

    /** One enforcement pass now, as the timer runs it (tests drive it instead of waiting for the timer). */
    void enforceNow() {
        enforcement.tick();
    }

    /** Keeps the sessions' access filters in step with the policy from now on (see {@link TrafficEnforcement}). */
    synchronized void scheduleEnforcement() {
        if (enforcementTask == null) {
            long tick = TrafficEnforcement.TICK.toMillis();
            enforcementTask = pollTimer.scheduleWithFixedDelay(enforcement::tick, tick, tick, TimeUnit.MILLISECONDS);
        }
        if (metricsTask == null) {
            long every = DeviceMetrics.INTERVAL.toMillis();
            metricsTask =
                    pollTimer.scheduleWithFixedDelay(this::sampleMetricsQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** One sample of the device's measurements for the sinks now, as the timer takes it. */
    void sampleMetricsNow() {
        metrics.sample();
    }

    private void sampleMetricsQuietly() {
        try {
            metrics.sample();
        } catch (RuntimeException e) {
            // a store or device hiccup costs one sample, never the timer (an exception would cancel it)
            LOG.warn("No metrics sample this time: {}", e.toString());
        }
    }

    /** Runs the reaper every {@code reaper.interval} from now on. */
    synchronized void scheduleReaper() {
        if (reaperTask != null) {
            reaperTask.cancel(false);
        }
        long interval = settings.get().reaperInterval().toMillis();
        reaperTask = reaperThread.scheduleWithFixedDelay(reaper::run, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a configuration that keeps the interface and the pools. When what clients apply (routes,
     * DNS, keepalive) changed, every open session gets a new policy version and the parked polls
     * are answered with it.
     */
    void update(SessionSettings next) {
        SessionSettings previous = settings.getAndSet(next);
        if (next.policyDiffers(previous)) {
            int count = sessions.bumpPolicyVersions();
            policy.changed();
            cluster.policyChanged();
            LOG.info(
                    "Session policy changed (routes {}, DNS {}, keepalive {} s): pushed to {} open sessions",
                    next.routes(),
                    next.dns(),
                    next.keepalive(),
                    count);
        }
        if (!next.reaperInterval().equals(previous.reaperInterval())) {
            rescheduleReaper();
        }
    }

    /** Runs the reaper at the current interval from now on, if it runs at all (reaperTask is guarded by this). */
    private synchronized void rescheduleReaper() {
        if (reaperTask != null) {
            scheduleReaper();
        }
    }

    /**
     * Takes every session peer off this runtime's device, for when the sessions move to another
     * interface: a peer left behind on the old one would be a tunnel that no session controls.
     */
    void withdrawPeers() {
        restore.withdrawAll();
    }

    @Override
    public synchronized void close() {
        clusterNode.close();
        if (reaperTask != null) {
            reaperTask.cancel(false);
        }
        if (enforcementTask != null) {
            enforcementTask.cancel(false);
        }
        if (metricsTask != null) {
            metricsTask.cancel(false);
        }
        reaperThread.shutdownNow();
        policy.close();
        pollTimer.shutdownNow();
    }

    private static ScheduledThreadPoolExecutor singleThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
