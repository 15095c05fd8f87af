package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.client.AccessGrant;
import dev.wirehaven.client.AccessProtocol;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.Connection;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.TunnelPlatform;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Connector;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One connection from the first request to the clean disconnect: its state, and the changes of it.
 * The work is done by its parts, each one concept: {@link SetupFlow} (a session and the tunnel to
 * it), {@link Heartbeat} (status reports, and where a loss shows), {@link Reauthentication} (renewal
 * before expiry), {@link StepUp} (a further factor a policy asks of the live session),
 * {@link PolicyFollower} (the server's policy updates), {@link GatewayWatch} (a gateway that stopped
 * answering, within seconds), {@link Recovery} (a {@link Failover} to another gateway of a cluster, else
 * diagnosis and reconnects with backoff), {@link AccessRequests} (resources the application asks for). What they share is the {@link Link}; their steps run one at a time
 * in the {@link Lane}; their time comes from the {@link Timebase}.
 *
 * <pre>
 *  CONNECTING --flow done--> ACTIVE --status fails / handshake too old / session gone / gateway silent--> RECONNECTING
 *      |                      ^  |                                                          |
 *      |                      +--+---- moved to another gateway (same session, no login) ---+
 *      |                      |  +-- tick every statusInterval: re-auth if due, report ------+
 *      |                      +---------- resumed (session valid) or new session ------------+
 *      +------- failure ------+--> CLOSED <-- close(), or credentials refused while reconnecting
 * </pre>
 */
public final class ClientConnection implements Connection {

    /** How long the server may take to end the session at close; after that it ends it once idle. */
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ControlClient control;
    private final ConnectOptions options;
    private final Timebase time;
    private final Authenticator authenticator;
    private final Key publicKey;
    private final Events events;
    private final Link link = new Link();
    private final Lane lane;
    private final SetupFlow setup;
    private final Heartbeat heartbeat;
    private final GatewayWatch watch;
    private final PolicyFollower policy;
    private final StepUp stepUp;
    private final Recovery recovery;
    private final AccessRequests access;
    private final CountDownLatch closed = new CountDownLatch(1);

    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile ClientException failure;

    public ClientConnection(
            ControlClient shared,
            ConnectOptions options,
            CredentialPrompter prompter,
            TunnelPlatform platform,
            Timebase time,
            ExecutorService workers) {
        // the connection's own view: a failover moves its calls to another gateway, not every connection's
        ControlClient control = shared.forConnection();
        this.control = control;
        this.options = options;
        this.time = time;
        this.events = new Events(options.listener(), time.clock());
        this.authenticator = new Authenticator(
                control, prompter, options.username(), options.authMethod(), time.clock(), time::sleep);
        Connector connector = new Connector(control, authenticator, events::info);
        Key privateKey = options.privateKey() != null ? options.privateKey() : Keys.generatePrivate();
        this.publicKey = Keys.publicFrom(privateKey);
        this.lane = new Lane(time, workers, link::closing);
        Lifecycle lifecycle = new Transitions();
        Reauthentication reauthentication = new Reauthentication(authenticator, events, time.clock());
        this.setup = new SetupFlow(
                control, connector, options, platform, privateKey, publicKey, link, reauthentication, events, time);
        this.stepUp = new StepUp(authenticator, link, events, workers, time.clock());
        this.heartbeat = new Heartbeat(control, options, link, reauthentication, stepUp, lane, time, lifecycle, events);
        this.watch = new GatewayWatch(link, lane, time, events, lifecycle);
        this.policy = new PolicyFollower(control, options, link, reauthentication, events, workers, time);
        this.recovery = new Recovery(
                control,
                options,
                link,
                setup,
                lane,
                events,
                new Backoff(options.backoffBase(), options.backoffCap(), new Random()),
                new Diagnostician(control.home(), control.sslContext(), time),
                new Failover(control, link, events, time),
                lifecycle);
        this.access = new AccessRequests(control, link, stepUp, events, () -> state, InetAddress::getAllByName);
    }

    /**
     * Runs the flow in the caller's thread: the connection is active when this returns. Interrupting
     * the caller cancels it; on any failure the session is ended and the tunnel is down again.
     */
    public void open() throws IOException {
        lane.enter();
        try {
            setup.establish();
            becomeActive();
        } catch (IOException | RuntimeException e) {
            // the flow's own calls may have left the interrupt set; the clean-up below must still talk to the server
            boolean interrupted = Thread.interrupted();
            teardown(false, null);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (link.closing() && !(e instanceof ClientException)) {
                throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made", e);
            }
            throw e;
        } finally {
            lane.leave();
        }
    }

    // ---- the changes of state, each at the end of a step in the lane ----

    private void becomeActive() {
        state = ConnectionState.ACTIVE;
        recovery.reset();
        ServerConfig c = link.config();
        events.emit(Kind.CONNECTED, "Connected: " + String.join(", ", c.addresses()) + " via " + link.endpoint());
        heartbeat.start();
        watch.start();
        policy.start();
    }

    private void lost(String why, boolean sessionGone, boolean mayMove) {
        state = ConnectionState.RECONNECTING;
        heartbeat.stop();
        watch.stop();
        policy.stop();
        stepUp.stop();
        events.emit(Kind.LOST, "Connection lost: " + why);
        recovery.begin(sessionGone, mayMove);
    }

    private void fail(ClientException e) {
        failure = e;
        link.markClosing();
        teardown(!recovery.sessionGone(), "Disconnected: " + e.getMessage());
    }

    /** The parts' view of the changes above (the methods stay private to the connection). */
    private final class Transitions implements Lifecycle {
        @Override
        public void active() {
            becomeActive();
        }

        @Override
        public void lost(String why, boolean sessionGone) {
            ClientConnection.this.lost(why, sessionGone, false);
        }

        @Override
        public void unreachable(String why) {
            ClientConnection.this.lost(why, false, true);
        }

        @Override
        public void failed(ClientException e) {
            fail(e);
        }
    }

    // ---- close ----

    @Override
    public void close() {
        synchronized (this) {
            if (link.closing()) {
                awaitQuietly();
                return;
            }
            link.markClosing();
        }
        lane.interrupt();
        lane.exclusively(() -> teardown(!recovery.sessionGone(), "Disconnected"));
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
        synchronized (link.tunnelLock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            state = ConnectionState.CLOSED;
        }
        link.markClosing();
        policy.stop();
        stepUp.stop();
        Session s = link.session();
        if (endSession && s != null) {
            try {
                SessionStatus st = control.disconnect(s.id(), s.token(), DISCONNECT_TIMEOUT);
                link.phase(st.phase());
                events.info(
                        "The server ended session " + s.id() + " (" + st.phase() + "): peer removed, address released");
            } catch (IOException e) {
                events.warning("Could not tell the server that this client disconnects (" + e.getMessage()
                        + "); it removes the session once it is idle");
            }
        }
        ClientTunnel t;
        synchronized (link.tunnelLock) {
            t = link.takeTunnel();
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
        return link.status(state);
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ClientException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public AccessGrant requestAccess(String host, int port, AccessProtocol protocol) throws IOException {
        return access.request(host, port, protocol, authenticator);
    }

    @Override
    public AccessGrant requestAccess(String host, int port, AccessProtocol protocol, CredentialPrompter prompter)
            throws IOException {
        Authenticator other = new Authenticator(
                control,
                Objects.requireNonNull(prompter, "prompter"),
                options.username(),
                options.authMethod(),
                time.clock(),
                time::sleep);
        return access.request(host, port, protocol, other);
    }

    /** The client's WireGuard public key (the same across reconnects). */
    public Key publicKey() {
        return publicKey;
    }

    /** The tunnel's device, for tests and embedding applications; {@code null} once closed. */
    public ClientTunnel tunnel() {
        return link.tunnel();
    }
}
