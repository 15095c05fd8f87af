package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.TunnelPlatform;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Connector;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection from the first request to the clean disconnect.
 *
 * <p>Its work runs in one "lane" at a time (the flow, each status tick, the diagnosis, each
 * reconnect attempt), on the client's shared worker threads, so none of it races with another
 * step of the same connection and a thousand connections share a few threads. Only the policy long
 * poll runs beside it, asynchronously, and takes {@code tunnelLock} to change the tunnel.
 *
 * <pre>
 *  CONNECTING --flow done--> ACTIVE --status fails / handshake too old / session gone--> RECONNECTING
 *      |                      ^  |                                                          |
 *      |                      |  +-- tick every statusInterval: re-auth if due, report ------+
 *      |                      +---------- resumed (session valid) or new session ------------+
 *      +------- failure ------+--> CLOSED <-- close(), or credentials refused while reconnecting
 * </pre>
 */
public final class ClientConnection implements Connection {

    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REAUTH_RETRY = Duration.ofSeconds(30);
    private static final Duration POLL_RETRY = Duration.ofSeconds(5);
    private static final Duration KICK_INTERVAL = Duration.ofSeconds(5);
    private static final long FIRST_ACTIVE_POLL_MILLIS = 10;
    private static final long OWN_HANDSHAKE_WAIT_MILLIS = 1000;
    private static final long MAX_ACTIVE_POLL_MILLIS = 1000;
    private static final int MAX_ACK_DETAIL = 1000;

    private final ControlClient control;
    private final ConnectOptions options;
    private final TunnelPlatform platform;
    private final Authenticator authenticator;
    private final Connector connector;
    private final Key privateKey;
    private final Key publicKey;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Events events;
    private final Backoff backoff;
    private final Diagnostician diagnostician;
    private final Object tunnelLock = new Object();
    private final ReentrantLock lane = new ReentrantLock();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong pollGeneration = new AtomicLong();

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Session session;
    private volatile ServerConfig config;
    private volatile SessionPhase phase;
    private volatile ServerEndpoint endpoint;
    private volatile InetSocketAddress endpointAddress;
    private volatile ClientTunnel tunnel;
    private volatile long latencyMillis = -1;
    private volatile long policyVersion;
    private volatile Instant reauthAt;
    private volatile ScheduledFuture<?> next;
    private volatile Thread laneThread;
    private volatile ClientException failure;
    private volatile boolean closing;
    /** Lane only: reconnect attempts since the loss. */
    private int attempt;
    /** Lane only: the server no longer knows the session, so a reconnect needs a new one. */
    private boolean sessionGone;

    public ClientConnection(ControlClient control, ConnectOptions options, CredentialPrompter prompter,
            TunnelPlatform platform, ScheduledExecutorService scheduler, ExecutorService workers) {
        this.control = control;
        this.options = options;
        this.platform = platform;
        this.scheduler = scheduler;
        this.workers = workers;
        this.events = new Events(options.listener());
        this.authenticator = new Authenticator(control, prompter, options.username(), options.authMethod());
        this.connector = new Connector(control, authenticator, events::info);
        this.privateKey = options.privateKey() != null ? options.privateKey() : Keys.generatePrivate();
        this.publicKey = Keys.publicFrom(privateKey);
        this.backoff = new Backoff(options.backoffBase(), options.backoffCap(), new Random());
        this.diagnostician = new Diagnostician(control.server(), control.sslContext());
    }

    /**
     * Runs the flow in the caller's thread: the connection is active when this returns. Interrupting
     * the caller cancels it; on any failure the session is ended and the tunnel is down again.
     */
    public void open() throws IOException {
        lane.lock();
        laneThread = Thread.currentThread();
        try {
            establish();
            becomeActive();
        } catch (IOException | RuntimeException e) {
            // the flow's own calls may have left the interrupt set; the clean-up below must still talk to the server
            boolean interrupted = Thread.interrupted();
            teardown(false, null);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (closing && !(e instanceof ClientException)) {
                throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made", e);
            }
            throw e;
        } finally {
            laneThread = null;
            lane.unlock();
        }
    }

    // ---- the flow ----

    /** Steps 1-9 with the client's keys; the tunnel is created the first time and reconfigured after. */
    private void establish() throws IOException {
        String requested = requestedAddress();
        Connector.Established made = connector.establish(publicKey, requested, options.deviceName());
        Session s = made.session();
        try {
            ServerConfig c = made.config();
            ServerEndpoint ep = ServerEndpoint.parse(c.endpoint());
            InetSocketAddress address = resolve(ep);
            NetworkSettings settings = TunnelSettings.from(c, keepOutside(address));
            synchronized (tunnelLock) {
                if (closing) {
                    throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made");
                }
                ClientTunnel t = tunnel;
                if (t == null) {
                    t = ClientTunnel.open(platform, options.interfaceName(), privateKey, c.mtu());
                    tunnel = t;
                }
                t.setServer(Key.fromBase64(c.serverPublicKey()),
                        c.presharedKey() == null ? null : Key.fromBase64(c.presharedKey()), address,
                        c.persistentKeepalive(), settings.routes());
                t.applyHost(settings);
            }
            session = s;
            config = c;
            endpoint = ep;
            endpointAddress = address;
            phase = made.status().phase();
            policyVersion = made.status().policyVersion();
            events.info("Tunnel " + options.interfaceName() + " is up with " + String.join(", ", c.addresses())
                    + (settings.fullTunnel() ? " (full tunnel)" : " (split tunnel: " + settings.routes() + ")"));
            awaitOwnHandshake();
            SessionStatus confirmed = connector.confirm(s, options.interfaceName());
            phase = confirmed.phase();
            awaitActive(s, confirmed);
            reauthAt = reauthTime(s.expiresAt());
        } catch (IOException | RuntimeException e) {
            boolean interrupted = Thread.interrupted();
            connector.abandon(s);
            session = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof IllegalArgumentException) {
                throw new ClientException(Reason.REFUSED, "the server's configuration cannot be used: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * Gives the first handshake, which the tunnel started as it came up, a moment to complete before
     * the confirmation, so that the server can already report ACTIVE in its answer: on a good path it
     * takes a round trip and a few milliseconds of crypto; past {@link #OWN_HANDSHAKE_WAIT_MILLIS}
     * the confirmation goes anyway and the polling below takes over.
     */
    private void awaitOwnHandshake() throws ClientException {
        long deadline = System.nanoTime() + OWN_HANDSHAKE_WAIT_MILLIS * 1_000_000L;
        while (tunnel.handshakeAgeSeconds() < 0 && System.nanoTime() - deadline < 0) {
            sleep(1);
        }
    }

    /** Waits for the server to report ACTIVE (the first handshake completed), starting handshakes meanwhile. */
    private void awaitActive(Session s, SessionStatus confirmed) throws IOException {
        if (confirmed.phase() == SessionPhase.ACTIVE) {
            return;
        }
        events.info("Setup confirmed; waiting for the first handshake with " + endpoint);
        long start = System.nanoTime();
        long deadline = start + options.setupTimeout().toNanos();
        long nextKick = start;
        long wait = FIRST_ACTIVE_POLL_MILLIS;
        while (true) {
            if (System.nanoTime() - nextKick >= 0) {
                tunnel.kickHandshake();
                nextKick = System.nanoTime() + KICK_INTERVAL.toNanos();
            }
            sleep(wait);
            wait = Math.min(wait * 2, MAX_ACTIVE_POLL_MILLIS);
            SessionStatus st;
            try {
                st = control.status(s.id(), s.token());
            } catch (ControlApiException e) {
                throw Connector.refused("the session during setup", e);
            }
            phase = st.phase();
            if (phase == SessionPhase.ACTIVE) {
                return;
            }
            if (phase.isTerminal()) {
                throw new ClientException(Reason.REFUSED, "the server ended the session during setup (" + phase + ")");
            }
            if (System.nanoTime() - deadline >= 0) {
                long age = tunnel.handshakeAgeSeconds();
                throw new ClientException(Reason.TUNNEL_FAILED, age < 0
                        ? "no WireGuard handshake with " + endpoint + " within " + options.setupTimeout().toSeconds()
                                + " s: UDP to the server is blocked, or its WireGuard interface is down"
                        : "the handshake with " + endpoint + " completed, but after " + options.setupTimeout().toSeconds()
                                + " s the server still reports the session " + phase);
            }
        }
    }

    private void becomeActive() {
        state = ConnectionState.ACTIVE;
        attempt = 0;
        sessionGone = false;
        events.emit(Kind.CONNECTED, "Connected: " + String.join(", ", config.addresses()) + " via " + config.endpoint());
        schedule(this::tick, nextTick());
        long generation = pollGeneration.incrementAndGet();
        workers.execute(() -> pollPolicy(generation));
    }

    // ---- while active ----

    private void tick() {
        try {
            reauthenticateIfDue();
            Session s = session;
            PeerSnapshot peer = tunnel.server().orElse(null);
            long age = tunnel.handshakeAgeSeconds();
            StatusReport report = new StatusReport(peer == null ? 0 : peer.rxBytes(), peer == null ? 0 : peer.txBytes(),
                    age, latencyMillis);
            long t0 = System.nanoTime();
            SessionStatus st = control.report(s.id(), s.token(), report);
            latencyMillis = (System.nanoTime() - t0) / 1_000_000;
            phase = st.phase();
            if (phase.isTerminal()) {
                sessionGone = true;
                lost("the server reports the session " + phase);
            } else if (age > options.handshakeTimeout().toSeconds()) {
                lost("no WireGuard handshake with " + endpoint + " for " + age + " s");
            } else {
                schedule(this::tick, nextTick());
            }
        } catch (ControlApiException e) {
            if (e.sessionGone()) {
                sessionGone = true;
                lost("the server no longer accepts the session (" + e.status() + " " + e.code() + ": "
                        + e.error().message() + ")");
            } else {
                lost("the status call failed: " + e.getMessage());
            }
        } catch (ClientException e) {
            if (e.reason() == Reason.UNTRUSTED_CERTIFICATE) {
                fail(e);
            } else if (e.reason() != Reason.CANCELLED) {
                lost(e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            lost("the status call failed: " + e.getMessage());
        }
    }

    /**
     * The next status report: after the status interval, or sooner when re-authentication falls due
     * before that, so that a session lifetime shorter than a few intervals is still renewed in time.
     */
    private Duration nextTick() {
        return nextTick(options.statusInterval(), reauthAt, Instant.now());
    }

    static Duration nextTick(Duration interval, Instant reauthAt, Instant now) {
        if (reauthAt == null) {
            return interval;
        }
        Duration untilDue = Duration.between(now, reauthAt);
        return untilDue.isNegative() ? Duration.ZERO : untilDue.compareTo(interval) < 0 ? untilDue : interval;
    }

    private void reauthenticateIfDue() throws IOException {
        Instant due = reauthAt;
        Session s = session;
        if (due == null || s == null || Instant.now().isBefore(due)) {
            return;
        }
        try {
            SessionGrant grant = authenticator.reauthenticate(s);
            s.renew(grant);
            reauthAt = reauthTime(grant.expiresAt());
            events.info("Re-authenticated; the session now lasts until " + grant.expiresAt());
        } catch (ClientException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED || e.reason() == Reason.NO_CREDENTIALS) {
                reauthAt = null;
                events.warning("Re-authentication failed: " + e.getMessage() + "; the session ends at " + s.expiresAt());
            } else if (e.reason() == Reason.CANCELLED || e.reason() == Reason.UNTRUSTED_CERTIFICATE) {
                throw e;
            } else {
                reauthAt = Instant.now().plus(REAUTH_RETRY);
                events.warning("Re-authentication failed (" + e.getMessage() + "); trying again in "
                        + REAUTH_RETRY.toSeconds() + " s");
            }
        }
    }

    /** When to re-authenticate: ahead of the expiry by a fifth of the remaining time, at least 1 s and at most 10 min. */
    static Instant reauthTime(Instant expiresAt) {
        Duration remaining = Duration.between(Instant.now(), expiresAt);
        Duration lead = remaining.dividedBy(5);
        if (lead.compareTo(Duration.ofSeconds(1)) < 0) {
            lead = Duration.ofSeconds(1);
        } else if (lead.compareTo(Duration.ofMinutes(10)) > 0) {
            lead = Duration.ofMinutes(10);
        }
        return expiresAt.minus(lead);
    }

    // ---- policy ----

    private void pollPolicy(long generation) {
        Session s = session;
        if (closing || s == null || generation != pollGeneration.get()) {
            return;
        }
        control.pollPolicy(s.id(), s.token(), policyVersion, options.policyWait())
                .whenCompleteAsync((update, failed) -> {
                    if (closing || generation != pollGeneration.get()) {
                        return; // a reconnect or the close took over; it starts its own poll
                    }
                    if (failed != null) {
                        // a real loss is the status tick's to detect; here only wait and ask again
                        scheduler.schedule(() -> workers.execute(() -> pollPolicy(generation)),
                                POLL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                        return;
                    }
                    update.ifPresent(u -> apply(s, u));
                    pollPolicy(generation);
                }, workers);
    }

    private void apply(Session s, PolicyUpdate u) {
        boolean applied;
        String detail = "";
        synchronized (tunnelLock) {
            ClientTunnel t = tunnel;
            if (closing || t == null) {
                return;
            }
            try {
                List<Cidr> routes = TunnelSettings.routes(u.routes(), config.subnets());
                List<InetAddress> servers = new ArrayList<>();
                List<String> domains = new ArrayList<>();
                TunnelSettings.splitDns(u.dns(), servers, domains);
                t.updateServer(routes, u.persistentKeepalive());
                t.applyHost(t.hostSettings().withRoutes(routes).withDns(servers, domains));
                if (u.reauthenticateBy() != null) {
                    Instant by = reauthTime(u.reauthenticateBy());
                    Instant current = reauthAt;
                    if (current == null || by.isBefore(current)) {
                        reauthAt = by;
                    }
                }
                applied = true;
                events.info("Policy " + u.version() + " applied: routes " + routes + ", DNS " + u.dns() + ", keepalive "
                        + u.persistentKeepalive() + " s");
            } catch (IOException | RuntimeException e) {
                applied = false;
                detail = String.valueOf(e.getMessage());
                if (detail.length() > MAX_ACK_DETAIL) {
                    detail = detail.substring(0, MAX_ACK_DETAIL);
                }
                events.warning("Policy " + u.version() + " could not be applied: " + detail);
            }
            policyVersion = u.version();
        }
        try {
            control.acknowledge(s.id(), s.token(), new PolicyAck(u.version(), applied, detail));
        } catch (IOException e) {
            events.warning("Could not acknowledge policy " + u.version() + ": " + e.getMessage());
        }
    }

    // ---- loss and reconnect ----

    private void lost(String why) {
        state = ConnectionState.RECONNECTING;
        pollGeneration.incrementAndGet();
        events.emit(Kind.LOST, "Connection lost: " + why);
        try {
            for (String finding : diagnostician.diagnose(endpoint, tunnel)) {
                events.emit(Kind.DIAGNOSIS, finding);
            }
        } catch (InterruptedException e) {
            return; // closing
        }
        attempt = 0;
        schedule(this::reconnect, backoff.delay(0));
    }

    private void reconnect() {
        attempt++;
        try {
            if (!sessionGone && session != null && resume()) {
                return;
            }
            events.info("Starting a new session with the same keys" + (requestedAddress() == null ? ""
                    : ", asking for " + requestedAddress() + " again"));
            establish();
            becomeActive();
        } catch (ClientException e) {
            switch (e.reason()) {
                case AUTHENTICATION_FAILED, NO_CREDENTIALS, UNTRUSTED_CERTIFICATE -> fail(e);
                case CANCELLED -> { }
                case RATE_LIMITED -> retry(e.getMessage(), e.retryAfter().orElse(backoff.delay(attempt)));
                default -> retry(e.getMessage(), backoff.delay(attempt));
            }
        } catch (IOException | RuntimeException e) {
            retry(String.valueOf(e.getMessage()), backoff.delay(attempt));
        }
    }

    /**
     * Tries to carry on with the session the client has: true when resumed, or when a retry is
     * scheduled because only the handshake is missing; false when the session is gone.
     */
    private boolean resume() throws IOException {
        Session s = session;
        SessionStatus st;
        try {
            st = control.status(s.id(), s.token());
        } catch (ControlApiException e) {
            if (e.sessionGone()) {
                sessionGone = true;
                return false;
            }
            throw e;
        }
        phase = st.phase();
        if (phase != SessionPhase.ACTIVE && phase != SessionPhase.CONFIGURED) {
            sessionGone = true;
            return false;
        }
        refreshEndpoint();
        long age = tunnel.handshakeAgeSeconds();
        if (age >= 0 && age <= options.handshakeTimeout().toSeconds()) {
            events.info("Reconnected: session " + s.id() + " is still valid; resumed without authenticating again");
            becomeActive();
            return true;
        }
        tunnel.kickHandshake();
        retry("the control API answers again, but no handshake with " + endpoint + " has completed yet",
                backoff.delay(attempt));
        return true;
    }

    /** Looks the endpoint's name up again; a server that moved gets the tunnel's UDP and stays outside the tunnel. */
    private void refreshEndpoint() throws IOException {
        ServerEndpoint ep = endpoint;
        InetSocketAddress now = resolve(ep);
        if (now.equals(endpointAddress)) {
            return;
        }
        synchronized (tunnelLock) {
            tunnel.setEndpoint(now);
            tunnel.applyHost(tunnel.hostSettings().withKeepOutside(keepOutside(now)));
        }
        events.info("The server's endpoint " + ep + " is now " + format(now));
        endpointAddress = now;
    }

    private void retry(String why, Duration delay) {
        events.emit(Kind.RETRYING, "Reconnect attempt " + attempt + " failed: " + why + "; next attempt in "
                + seconds(delay));
        schedule(this::reconnect, delay);
    }

    private void fail(ClientException e) {
        failure = e;
        closing = true;
        teardown(!sessionGone, "Disconnected: " + e.getMessage());
    }

    // ---- close ----

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                awaitQuietly();
                return;
            }
            closing = true;
        }
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
        Thread t = laneThread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
        lane.lock();
        try {
            teardown(!sessionGone, "Disconnected");
        } finally {
            lane.unlock();
        }
    }

    private void awaitQuietly() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the session on the server (if asked), restores the network, closes the device. Once.
     *
     * @param why the closing event's message, or {@code null} for none (a failed {@link #open} throws instead)
     */
    private void teardown(boolean endSession, String why) {
        synchronized (tunnelLock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            state = ConnectionState.CLOSED;
        }
        closing = true;
        pollGeneration.incrementAndGet();
        Session s = session;
        if (endSession && s != null) {
            try {
                SessionStatus st = control.disconnect(s.id(), s.token(), DISCONNECT_TIMEOUT);
                phase = st.phase();
                events.info("The server ended session " + s.id() + " (" + st.phase() + "): peer removed, address released");
            } catch (IOException e) {
                events.warning("Could not tell the server that this client disconnects (" + e.getMessage()
                        + "); it removes the session once it is idle");
            }
        }
        ClientTunnel t;
        synchronized (tunnelLock) {
            t = tunnel;
            tunnel = null;
        }
        if (t != null) {
            try {
                t.close();
                events.info("Tunnel " + t.name() + " is down; routes and DNS restored");
            } catch (IOException e) {
                events.warning("Tunnel " + t.name() + " is down, but restoring the network failed: " + e.getMessage());
            }
        }
        if (why != null) {
            events.emit(Kind.CLOSED, why);
        }
        closed.countDown();
    }

    // ---- the Connection API ----

    @Override
    public ConnectionStatus status() {
        ClientTunnel t = tunnel;
        Session s = session;
        ServerConfig c = config;
        PeerSnapshot peer = t == null ? null : t.server().orElse(null);
        NetworkSettings host = t == null ? null : t.hostSettings();
        List<String> addresses = host != null ? host.addresses().stream().map(Object::toString).toList()
                : c != null ? c.addresses() : List.of();
        return new ConnectionStatus(state, s == null ? null : s.id(), phase, addresses, endpointAddress,
                s == null ? null : s.expiresAt(), peer == null ? 0 : peer.rxBytes(), peer == null ? 0 : peer.txBytes(),
                t == null ? -1 : t.handshakeAgeSeconds(), latencyMillis, policyVersion);
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ClientException> failure() {
        return Optional.ofNullable(failure);
    }

    /** The client's WireGuard public key (the same across reconnects). */
    public Key publicKey() {
        return publicKey;
    }

    /** The tunnel's device, for tests and embedding applications; {@code null} once closed. */
    public ClientTunnel tunnel() {
        return tunnel;
    }

    // ---- helpers ----

    private void schedule(Runnable task, Duration delay) {
        if (closing) {
            return;
        }
        next = scheduler.schedule(() -> workers.execute(() -> inLane(task)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void inLane(Runnable task) {
        lane.lock();
        try {
            if (closing) {
                return;
            }
            laneThread = Thread.currentThread();
            task.run();
        } finally {
            laneThread = null;
            Thread.interrupted(); // a close() that interrupted this task must not reach the pool's next task
            lane.unlock();
        }
    }

    private String requestedAddress() {
        ServerConfig c = config;
        if (c != null && !c.addresses().isEmpty()) {
            return IpAddresses.format(TunnelSettings.parseAddress(c.addresses().get(0)).address());
        }
        return options.requestedAddress();
    }

    private static InetSocketAddress resolve(ServerEndpoint ep) throws ClientException {
        try {
            return ep.resolve();
        } catch (UnknownHostException e) {
            throw new ClientException(Reason.UNREACHABLE, "the server's endpoint " + ep + " does not resolve", e);
        }
    }

    /** The endpoint's address and every address of the control API's host. */
    private List<InetAddress> keepOutside(InetSocketAddress endpointAddress) {
        LinkedHashSet<InetAddress> all = new LinkedHashSet<>();
        all.add(endpointAddress.getAddress());
        String host = control.server().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            all.addAll(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            // the API was reached a moment ago; a failing lookup now leaves only the endpoint outside
        }
        return List.copyOf(all);
    }

    private static void sleep(long millis) throws ClientException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made", e);
        }
    }

    private static String format(InetSocketAddress a) {
        return IpAddresses.format(a.getAddress()) + ":" + a.getPort();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
