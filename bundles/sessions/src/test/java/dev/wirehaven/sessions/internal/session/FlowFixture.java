package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.server.support.store.TestDatabase;
import dev.wirehaven.server.support.testing.MutableClock;
import dev.wirehaven.sessions.internal.monitor.MonitoringDispatcher;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.internal.store.EventEntry;
import dev.wirehaven.sessions.internal.store.EventLogRepository;
import dev.wirehaven.sessions.internal.store.Lease;
import dev.wirehaven.sessions.internal.store.LeaseRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.internal.store.SessionSchema;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.tun.testing.MemoryTun;
import dev.wirehaven.wireguard.DeviceOptions;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import dev.wirehaven.wireguard.WireGuard;
import dev.wirehaven.wireguard.WireGuardDevice;
import dev.wirehaven.wireguard.testing.MemoryNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server's session layer as the tests drive it: an in-memory H2 store, a real WireGuard device
 * ({@code wg0}, listening on 192.0.2.x:51820 of a {@link MemoryNetwork}, tunnel address 10.8.0.1),
 * the real monitoring dispatcher with a {@link RecordingSink}, auth providers and policy engines of
 * the tests' own, and a clock they move.
 *
 * <pre>
 *   client devices (192.0.2.y) ---- MemoryNetwork ---- [192.0.2.x:51820] wg0 + SessionRuntime ---- H2
 * </pre>
 */
final class FlowFixture implements AutoCloseable {

    static final InetAddress SOURCE = address("198.51.100.7");
    static final int LISTEN_PORT = 51820;

    final TestDatabase db = TestDatabase.migrated(SessionSchema.TRACK);
    /** The store as the runtimes use it: the test can take it away ({@link OutageDataSource#down}). */
    final OutageDataSource store = new OutageDataSource(db.dataSource());

    final MemoryNetwork net = new MemoryNetwork();
    final InetAddress serverHost = net.newAddressV4();
    final Key serverKey = Keys.generatePrivate();
    final MutableClock clock = new MutableClock();
    final MonitoringDispatcher monitor = new MonitoringDispatcher();
    final RecordingSink sink = new RecordingSink();
    final List<BoundPlugin<AuthProvider>> providers = new CopyOnWriteArrayList<>();
    final List<BoundPlugin<PolicyEngine>> engines = new CopyOnWriteArrayList<>();
    final List<dev.wirehaven.sessions.internal.realm.AuthRealm> realms = new CopyOnWriteArrayList<>();
    final TestProviders.Passwords passwords = new TestProviders.Passwords(
            Map.of("alice", "correct horse", "bob", "battery staple", "carol", "two factors"),
            java.util.Set.of("carol"));
    /** The users a security response disabled, as the responses bundle would answer. */
    final java.util.Set<String> disabledUsers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<String, Object> config = new HashMap<>();
    private final List<ClientDevice> clients = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    WireGuardDevice device;
    SessionRuntime runtime;

    FlowFixture() throws Exception {
        this(Map.of());
    }

    FlowFixture(Map<String, Object> settings) throws Exception {
        config.put("service.pid", SessionSettings.PID);
        config.putAll(settings);
        monitor.add(1, sink);
        providers.add(TestProviders.bound(passwords, 0));
        providers.add(TestProviders.bound(new TestProviders.Codes(), 0));
        device = newDevice();
        runtime = startRuntime();
    }

    ControlPlane flow() {
        return runtime.controlPlane();
    }

    SessionSettings settings() {
        return SessionSettings.from(config);
    }

    /** Applies a changed configuration as the component's @Modified does for the same interface and pools. */
    void reconfigure(Map<String, Object> changes) {
        config.putAll(changes);
        runtime.update(settings());
    }

    /** A server restart: the runtime and the device go, a fresh device with the same key and a new runtime come on the same store. */
    void restart() throws Exception {
        runtime.close();
        device.close();
        device = newDevice();
        runtime = startRuntime();
    }

    // ---- the flow, step by step ----

    AuthChallenge request(Key clientPublic, String deviceName) throws FlowException {
        return request(clientPublic, deviceName, SOURCE);
    }

    /** A connection request from {@code source}. */
    AuthChallenge request(Key clientPublic, String deviceName, InetAddress source) throws FlowException {
        return flow().requestConnection(new ConnectionRequest(clientPublic.toBase64(), null, deviceName), source);
    }

    /** A connection request of a new key from {@code source}. */
    AuthChallenge requestFrom(InetAddress source) throws FlowException {
        return request(Keys.publicFrom(Keys.generatePrivate()), "laptop", source);
    }

    SessionGrant authenticate(String sessionId, String user, String password) throws FlowException {
        return flow().authenticate(sessionId, new AuthResponse("password", user, password, null, null), SOURCE);
    }

    /** A client that went through the flow up to CONFIGURED. */
    Client configured(String user, String password, String deviceName) throws FlowException {
        Key clientKey = Keys.generatePrivate();
        AuthChallenge challenge = request(Keys.publicFrom(clientKey), deviceName);
        SessionGrant grant = authenticate(challenge.sessionId(), user, password);
        ServerConfig server = flow().serverConfig(grant.sessionId(), grant.token(), serverHost.getHostAddress());
        SessionStatus status = flow().clientConfig(
                        grant.sessionId(),
                        grant.token(),
                        new ClientConfig(Keys.publicFrom(clientKey).toBase64(), List.of()));
        assertEquals(SessionPhase.CONFIGURED, status.phase());
        return new Client(grant.sessionId(), grant.token(), clientKey, server);
    }

    /** Brings up a real client device for {@code c} that handshakes with the server, and waits for the server to see it. */
    ClientDevice handshake(Client c) throws Exception {
        ClientDevice client = new ClientDevice(net, c.privateKey(), c.server(), serverHost, LISTEN_PORT);
        clients.add(client);
        client.awaitHandshakeOn(device, c.publicKey());
        clock.catchUp();
        return client;
    }

    // ---- what the tests look at ----

    SessionRecord stored(String sessionId) {
        return new SessionRepository(db.dataSource()).find(sessionId).orElseThrow();
    }

    List<String> eventKinds(String sessionId) {
        return new EventLogRepository(db.dataSource())
                .ofSession(sessionId).stream().map(EventEntry::kind).toList();
    }

    List<EventEntry> recentEvents(int n) {
        return new EventLogRepository(db.dataSource()).recent(n);
    }

    Optional<PeerSnapshot> peer(Key clientPublic) {
        return device.snapshot().peers().stream()
                .filter(p -> p.publicKey().equals(clientPublic))
                .findFirst();
    }

    Optional<Lease> lease(String address) {
        return new LeaseRepository(db.dataSource())
                .inPool("10.8.0.0/24").stream()
                        .filter(l -> l.address().equals(address))
                        .findFirst();
    }

    /**
     * Another gateway node on the same store: its own device (its own key, at another address of the
     * network, same port) and its own runtime, configured like this one except for {@code nodeConfig}.
     */
    Node otherNode(Map<String, Object> nodeConfig) throws Exception {
        InetAddress host = net.newAddressV4();
        Key key = Keys.generatePrivate();
        WireGuardDevice d = WireGuard.createDevice(
                "wg0",
                new MemoryTun("wg0", 1420),
                net.factoryAt(host),
                DeviceOptions.defaults().withCryptoWorkers(1));
        d.configure(c -> {
            c.privateKey(key);
            c.listenPort(LISTEN_PORT);
        });
        Map<String, Object> merged = new HashMap<>(config);
        merged.putAll(nodeConfig);
        SessionRuntime r = SessionRuntime.start(
                SessionSettings.from(merged),
                NodeSettings.from(merged, "node-b"),
                store,
                d,
                List.of(address("10.8.0.1")),
                new PluginSources(
                        () -> List.copyOf(providers),
                        () -> List.copyOf(engines),
                        () -> List.copyOf(realms),
                        disabledUsers::contains),
                monitor,
                clock);
        Node node = new Node(host, key, d, r);
        nodes.add(node);
        return node;
    }

    /** A gateway node besides the fixture's own. */
    record Node(InetAddress host, Key privateKey, WireGuardDevice device, SessionRuntime runtime) {
        ControlPlane flow() {
            return runtime.controlPlane();
        }

        Optional<PeerSnapshot> peer(Key clientPublic) {
            return device.snapshot().peers().stream()
                    .filter(p -> p.publicKey().equals(clientPublic))
                    .findFirst();
        }
    }

    @Override
    public void close() throws java.sql.SQLException {
        for (ClientDevice c : clients) {
            c.close();
        }
        for (Node n : nodes) {
            n.runtime().close();
            n.device().close();
        }
        runtime.close();
        device.close();
        monitor.remove(1);
        db.close();
    }

    private WireGuardDevice newDevice() throws IOException, dev.wirehaven.wireguard.ConfigException {
        WireGuardDevice d = WireGuard.createDevice(
                "wg0",
                new MemoryTun("wg0", 1420),
                net.factoryAt(serverHost),
                DeviceOptions.defaults().withCryptoWorkers(1));
        d.configure(c -> {
            c.privateKey(serverKey);
            c.listenPort(LISTEN_PORT);
        });
        return d;
    }

    private SessionRuntime startRuntime() {
        return SessionRuntime.start(
                settings(),
                NodeSettings.from(config, "node-a"),
                store,
                device,
                List.of(address("10.8.0.1")),
                new PluginSources(
                        () -> List.copyOf(providers),
                        () -> List.copyOf(engines),
                        () -> List.copyOf(realms),
                        disabledUsers::contains),
                monitor,
                clock);
    }

    static InetAddress address(String literal) {
        return Prefixes.parse(literal).address();
    }

    /** A client's side of a session. */
    record Client(String sessionId, String token, Key privateKey, ServerConfig server) {
        Key publicKey() {
            return Keys.publicFrom(privateKey);
        }
    }
}
