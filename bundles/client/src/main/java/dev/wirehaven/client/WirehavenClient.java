package dev.wirehaven.client;

import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Connector;
import dev.wirehaven.client.internal.supervise.ClientConnection;
import dev.wirehaven.client.internal.supervise.Timebase;
import dev.wirehaven.client.internal.trust.Fingerprint;
import dev.wirehaven.client.internal.trust.KnownServers;
import dev.wirehaven.client.internal.trust.PinningTrustManager;
import dev.wirehaven.client.internal.trust.ServerAddress;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.wgquick.Endpoint;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import dev.wirehaven.wireguard.wgquick.PeerSection;
import dev.wirehaven.wireguard.wgquick.StockClientConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The client SDK's entry point for one Wirehaven server: it holds the pinned TLS trust, the HTTPS
 * client and a few shared threads, and makes {@link Connection}s through them (one per tunnel; a
 * load test makes a thousand through one client).
 *
 * <pre>{@code
 * try (WirehavenClient client = WirehavenClient.builder(URI.create("https://vpn.example.com:8443"))
 *         .knownServers(Path.of(System.getProperty("user.home"), ".config/wirehaven-client/known_servers"))
 *         .build();
 *      Connection c = client.connect(ConnectOptions.forUser("alice"), prompter, LinuxPlatform.builder().build())) {
 *     ...
 * }
 * }</pre>
 */
public final class WirehavenClient implements AutoCloseable {

    /** The WireGuard default MTU; an exported config leaves it out when the server uses it. */
    private static final int DEFAULT_MTU = 1420;

    private final URI server;
    private final ControlClient control;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Timebase time;

    /** @param time the connections' clocks and timers; {@code null} for the system's and this client's timer thread */
    private WirehavenClient(URI server, ControlClient control, Timebase time) {
        this.server = server;
        this.control = control;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("wirehaven-client-timer"));
        this.workers = Executors.newCachedThreadPool(daemon("wirehaven-client-worker"));
        this.time = time != null ? time : Timebase.system(scheduler);
    }

    /**
     * Starts a client for {@code server}, an {@code https} URL such as {@code https://vpn.example.com:8443}.
     */
    public static Builder builder(URI server) {
        return new Builder(server);
    }

    /** The server's URL. */
    public URI server() {
        return server;
    }

    /**
     * Runs the whole connection flow and returns once the session is active and the tunnel carries
     * traffic: request, challenge, credentials (from {@code prompter}), server config, client config,
     * the tunnel brought up on {@code platform}, confirmation, first handshake. From then on the
     * connection reports status, applies policy, re-authenticates and reconnects by itself until
     * closed. Interrupting the calling thread cancels the flow.
     *
     * @throws ClientException saying why when the connection cannot be made; the session is then
     *         ended on the server and nothing is left on the host
     */
    public Connection connect(ConnectOptions options, CredentialPrompter prompter, TunnelPlatform platform)
            throws IOException {
        ClientConnection c = new ClientConnection(
                control,
                Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(prompter, "prompter"),
                Objects.requireNonNull(platform, "platform"),
                time,
                workers);
        c.open();
        return c;
    }

    /**
     * Runs the flow up to the client config and the confirmation without bringing up a tunnel here,
     * and returns a config for the stock WireGuard apps with its key pair (a fresh one unless
     * {@code options} has a key). The session stays on the server until it expires (or until the
     * server's setup or idle timeouts end it for want of a handshake): the config works as long as
     * the session does.
     */
    public StockClientConfig export(ConnectOptions options, CredentialPrompter prompter) throws IOException {
        Key privateKey = options.privateKey() != null ? options.privateKey() : Keys.generatePrivate();
        Consumer<String> progress = m ->
                options.listener().onEvent(new ConnectionEvent(time.clock().instant(), ConnectionEvent.Kind.INFO, m));
        Authenticator authenticator = new Authenticator(
                control, prompter, options.username(), options.authMethod(), time.clock(), time::sleep);
        Connector connector = new Connector(control, authenticator, progress);
        Connector.Established made = connector.establish(
                Keys.publicFrom(privateKey),
                options.requestedAddress(),
                options.deviceName(),
                options.advertisedSubnets());
        try {
            StockClientConfig config = stockConfig(privateKey, made.config());
            connector.confirm(made.session(), "exported");
            return config;
        } catch (IllegalArgumentException e) {
            connector.abandon(made.session());
            throw new ClientException(
                    Reason.REFUSED, "the server's configuration cannot be exported: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            connector.abandon(made.session());
            throw e;
        }
    }

    private static StockClientConfig stockConfig(Key privateKey, ServerConfig c) {
        List<InterfaceAddress> addresses = new ArrayList<>();
        c.addresses().forEach(a -> addresses.add(TunnelSettings.parseAddress(a)));
        List<InetAddress> dnsServers = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        TunnelSettings.splitDns(c.dns(), dnsServers, domains);
        ServerEndpoint ep = ServerEndpoint.parse(c.endpoint());
        PeerSection.Builder server =
                PeerSection.builder(Key.fromBase64(c.serverPublicKey())).endpoint(new Endpoint(ep.host(), ep.port()));
        if (c.presharedKey() != null) {
            server.presharedKey(Key.fromBase64(c.presharedKey()));
        }
        for (Cidr r : TunnelSettings.routes(c.routes(), c.subnets())) {
            server.allowedIp(r);
        }
        if (c.persistentKeepalive() > 0) {
            server.persistentKeepalive(c.persistentKeepalive());
        }
        return new StockClientConfig(
                privateKey,
                addresses,
                dnsServers,
                domains,
                c.mtu() == DEFAULT_MTU ? OptionalInt.empty() : OptionalInt.of(c.mtu()),
                server.build());
    }

    /**
     * Stops the client's threads. Close its connections first: they need the threads to disconnect cleanly.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdown();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures a {@link WirehavenClient}. */
    public static final class Builder {
        private final URI server;
        private Path knownServers = defaultKnownServers();
        private String fingerprint;
        private boolean trustOnFirstUse = true;
        private Consumer<String> notices = m -> {};
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Timebase time;

        private Builder(URI server) {
            Objects.requireNonNull(server, "server");
            if (!"https".equals(String.valueOf(server.getScheme()).toLowerCase(Locale.ROOT))
                    || server.getHost() == null) {
                throw new IllegalArgumentException("the server must be an https URL with a host, such as"
                        + " https://vpn.example.com:8443, not '" + server + "'");
            }
            if (server.getRawPath() != null
                    && !server.getRawPath().isEmpty()
                    && !server.getRawPath().equals("/")) {
                throw new IllegalArgumentException(
                        "give the server's URL without a path (the API is under /api/v1): '" + server + "'");
            }
            this.server = URI.create(server.getScheme().toLowerCase(Locale.ROOT) + "://" + server.getRawAuthority());
        }

        /**
         * The known-servers file (default {@code ~/.config/wirehaven-client/known_servers}), where the
         * fingerprints of servers' public keys are recorded and checked after. A file written by an
         * older client (certificate fingerprints) is read too, and its pins are replaced by key
         * fingerprints as the servers present the same certificates again.
         */
        public Builder knownServers(Path file) {
            this.knownServers = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * The SHA-256 fingerprint of the server's public key, {@code SHA256:<base64>} (the SHA-256 of
         * its DER SubjectPublicKeyInfo), or the 32 hex pairs of its key or of its certificate
         * ({@code AB:CD:...}, as the server prints its certificate's). When given, only a server with
         * that key (or that certificate) is accepted, and its key's fingerprint is recorded.
         *
         * @throws IllegalArgumentException if it is not a fingerprint
         */
        public Builder fingerprint(String sha256) {
            this.fingerprint = sha256 == null ? null : Fingerprint.parse(sha256).toString();
            return this;
        }

        /**
         * Whether a server that is neither given ({@link #fingerprint}) nor recorded in the known-servers
         * file is trusted on its first use and recorded (the default), or refused: then the connection
         * fails with {@link ClientException.Reason#UNTRUSTED_CERTIFICATE} and a message with the key the
         * server presented, for the application to have it confirmed and to connect again with it given.
         *
         * @since 2.1
         */
        public Builder trustOnFirstUse(boolean trust) {
            this.trustOnFirstUse = trust;
            return this;
        }

        /** Told when a server's key is trusted on first use or recorded; default: nobody. */
        public Builder notices(Consumer<String> sink) {
            this.notices = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** How long a TCP connection to the server may take (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long one control call may take (default 30 s); the policy long poll gets its wait on top. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The connections' clocks and timers; the system's by default. Package-private and not part of
         * the SDK: the SDK's own tests run connections on a faster test timebase with it.
         */
        Builder timebase(Timebase timebase) {
            this.time = Objects.requireNonNull(timebase, "timebase");
            return this;
        }

        public WirehavenClient build() {
            PinningTrustManager trust = new PinningTrustManager(
                    ServerAddress.of(server),
                    fingerprint == null ? null : Fingerprint.parse(fingerprint),
                    new KnownServers(knownServers),
                    trustOnFirstUse,
                    notices);
            SSLContext ssl;
            try {
                ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {trust}, new SecureRandom());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM cannot make a TLS context: " + e.getMessage(), e);
            }
            String version = WirehavenClient.class.getPackage().getImplementationVersion();
            ControlClient control = new ControlClient(
                    server,
                    ssl,
                    connectTimeout,
                    requestTimeout,
                    "wirehaven-client/" + (version == null ? "dev" : version));
            return new WirehavenClient(server, control, time);
        }

        private static Path defaultKnownServers() {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            Path base =
                    xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            return base.resolve("wirehaven-client").resolve("known_servers");
        }
    }
}
