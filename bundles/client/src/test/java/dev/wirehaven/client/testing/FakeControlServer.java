package dev.wirehaven.client.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApiError;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.Keys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A small HTTPS server that answers the paths of docs/control-api.md with canned but
 * protocol-correct answers: sessions with phases, bearer tokens, the credentials of {@link FakeAuth}
 * (a password, further factors, prompts, approvals, step-up), rate limiting, addresses from
 * 10.8.0.0/24, policy long polls, resources asked for during the session (granted, denied, or behind a
 * step-up).
 * For the client's own tests only; the real server is bundles/sessions behind bundles/control-api. With a {@link ServerSide}
 * it adds and removes the client as a peer of a real WireGuard device, and reports ACTIVE once that
 * device completed a handshake with the client, as the real server does.
 */
public final class FakeControlServer implements AutoCloseable {

    private static final String API = "/api/v1/sessions";

    private final HttpsServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-control-server");
        t.setDaemon(true);
        return t;
    });
    private final TestCertificates.Identity identity;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final PeerSide wireguard;
    private final Map<String, FakeSession> sessions;
    private final Set<String> leased;
    /** The nodes of this server's cluster, itself included, in the order they were made. */
    private final List<FakeControlServer> nodes;

    private final SecureRandom random = new SecureRandom();

    // what the tests set
    /** The methods, prompts and credentials it accepts (shared by the nodes of a cluster). */
    public final FakeAuth auth;
    /** This node's name in the gateway lists of the other nodes. */
    public volatile String name = "gw1";
    /** The gateway lists this node gives; {@code null} for the other nodes of its cluster, in order. */
    public volatile List<Gateway> gateways;
    /**
     * The node that new tunnels go to, as placement chooses on a real cluster: the server config gives its
     * key and endpoint and names it as the gateway ({@code ServerConfig.gateway}), whose control API the
     * client calls from then on; {@code null} for this node, unnamed (as a server before 1.3).
     */
    public volatile FakeControlServer placeOn;

    public volatile Duration lifetime = Duration.ofHours(12);
    /** Every call is answered 503 with {@code Retry-After: 5}, as while the server's store is away. */
    public volatile boolean unavailable;
    /** Every call is answered 500, as a server with a fault. */
    public volatile boolean broken;

    public volatile boolean failServerConfig;
    public volatile List<String> routes = List.of("10.8.0.0/24", "192.168.10.0/24");
    public volatile List<String> dns = List.of("10.8.0.1", "corp.example");
    public volatile int keepalive = 25;
    public volatile String endpointOverride;
    /** The time of session lifetimes: give it the client's test clock to move both at once. */
    public volatile Clock clock;

    /** When set, every resource asked for is refused with 403 {@code forbidden} and this message. */
    public volatile String accessDenied;
    /**
     * How many resource requests are answered 401 {@code step_up_required} (asking {@link #accessStepUp} of
     * the session, as the real server does) before one is granted.
     */
    public final AtomicInteger accessStepUps = new AtomicInteger();
    /** The further factor that a resource behind a step-up asks for. */
    public volatile List<MethodPrompt> accessStepUp =
            List.of(new MethodPrompt("totp", CredentialKind.ONE_TIME_CODE, "Code for the admin network"));
    /** The reason of a grant. */
    public volatile String accessReason = "rule acl:admin-ssh";
    /** When a grant lapses; null for 30 minutes from now on {@link #clock}. */
    public volatile Instant accessUntil;

    // what the tests read
    // ---- a hostile server (HostileServerTest): what a server under someone else's control may answer ----
    /** Rewrites the JSON of the server config before it is sent (routes, DNS, MTU no honest server gives). */
    public volatile UnaryOperator<ObjectNode> serverConfigEdit;
    /** When positive, {@code POST /sessions} is answered with a JSON body this long, streamed (never held). */
    public volatile long hugeAnswerBytes;
    /** Whether the huge answer announces its length (Content-Length) rather than being chunked. */
    public volatile boolean hugeAnswerAnnounced;
    /** How much of the huge answer went out before the client hung up. */
    public final AtomicLong hugeBytesWritten = new AtomicLong();

    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final List<ConnectionRequest> requests = Collections.synchronizedList(new ArrayList<>());
    public final List<StatusReport> reports = Collections.synchronizedList(new ArrayList<>());
    public final List<PolicyAck> acks = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger reauthentications = new AtomicInteger();
    public final AtomicInteger deletes = new AtomicInteger();
    public final List<ResourceRequest> accessRequests = Collections.synchronizedList(new ArrayList<>());
    /** The bearer token of each resource request, as sent. */
    public final List<String> accessTokens = Collections.synchronizedList(new ArrayList<>());

    /** One session as the server holds it. */
    public static final class FakeSession {
        public final String id;
        public final Key clientKey;
        public final String requested;
        public volatile SessionPhase phase = SessionPhase.CHALLENGED;
        volatile String token;
        volatile Instant expiresAt;
        /** The first of two factors was accepted; the second is answered next. */
        final boolean[] firstDone = {false};

        volatile boolean confirmed;
        volatile boolean expired;
        public volatile String address;
        volatile Key psk;
        volatile PolicyUpdate policy;

        FakeSession(String id, Key clientKey, String requested) {
            this.id = id;
            this.clientKey = clientKey;
            this.requested = requested;
        }
    }

    /** @param wireguard the server's device, or {@code null} for control-only tests (ACTIVE at confirmation) */
    public FakeControlServer(PeerSide wireguard) throws IOException {
        this(wireguard, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Listening on {@code address} (a namespace's address in a manual smoke run; loopback in tests). */
    public FakeControlServer(PeerSide wireguard, InetSocketAddress address) throws IOException {
        this(wireguard, address, null);
    }

    /**
     * Another gateway node of {@code cluster}'s cluster, on loopback, with its own WireGuard device: the
     * same certificate, sessions, tokens, addresses and credentials; every node holds the peer of every
     * session (pre-staged), and each lists the others in its server configs, as the real nodes on one store.
     */
    public FakeControlServer(PeerSide wireguard, FakeControlServer cluster) throws IOException {
        this(wireguard, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cluster);
        name = "gw" + nodes.size();
    }

    private FakeControlServer(PeerSide wireguard, InetSocketAddress address, FakeControlServer cluster)
            throws IOException {
        this.wireguard = wireguard;
        this.identity = cluster == null ? TestCertificates.selfSigned("wirehaven-test") : cluster.identity;
        this.sessions = cluster == null ? new ConcurrentHashMap<>() : cluster.sessions;
        this.leased = cluster == null ? Collections.synchronizedSet(new HashSet<>()) : cluster.leased;
        this.auth = cluster == null ? new FakeAuth() : cluster.auth;
        this.nodes = cluster == null ? new java.util.concurrent.CopyOnWriteArrayList<>() : cluster.nodes;
        this.clock = cluster == null ? Clock.systemUTC() : cluster.clock;
        nodes.add(this);
        http = HttpsServer.create(address, 0);
        http.setHttpsConfigurator(new HttpsConfigurator(identity.serverContext()));
        http.setExecutor(executor);
        http.createContext(API, this::handle);
        http.start();
    }

    public URI uri() {
        InetAddress a = http.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        return URI.create("https://" + host + ":" + http.getAddress().getPort());
    }

    public X509Certificate certificate() {
        return identity.certificate();
    }

    public FakeSession session(String id) {
        return sessions.get(id);
    }

    /** The only session with a phase before DISCONNECTED, or null. */
    public FakeSession liveSession() {
        return sessions.values().stream()
                .filter(s -> !s.phase.isTerminal() && !s.expired)
                .findFirst()
                .orElse(null);
    }

    /** Makes a session expire now, as the server's reaper would: peer removed, lease released. */
    public void expire(String id) throws Exception {
        FakeSession s = sessions.get(id);
        s.expired = true;
        s.phase = SessionPhase.EXPIRED;
        release(s);
    }

    /** Queues a policy update for the session; a waiting long poll gets it. */
    public void pushPolicy(String id, PolicyUpdate update) {
        FakeSession s = sessions.get(id);
        synchronized (s) {
            s.policy = update;
            s.notifyAll();
        }
    }

    /** This node as a server config names it. */
    public Gateway asGateway() {
        return new Gateway(name, wireguard.endpoint(), wireguard.publicKey().toBase64(), uri().toString());
    }

    /** The other nodes of the cluster as a server config lists them: in the order they were made. */
    public List<Gateway> otherNodes() {
        List<Gateway> others = new ArrayList<>();
        for (FakeControlServer n : nodes) {
            if (n != this && n.wireguard != null) {
                others.add(n.asGateway());
            }
        }
        return others;
    }

    /** Stops answering at once, as a node killed with {@code kill -9}: its port refuses connections. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    // ---- routing ----

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath().substring(API.length());
            calls.add(method + " " + (path.isEmpty() ? "/sessions" : path.replaceAll("^/[^/]+", "/{id}")));
            if (unavailable) {
                // as the real server while its store is away: the tunnels carry on, ask again in 5 s
                x.getResponseHeaders().set("Retry-After", "5");
                error(x, 503, ApiError.of("unavailable", "the store is down"));
                return;
            }
            if (broken) {
                error(x, 500, ApiError.of("internal", "something broke"));
                return;
            }
            if (path.isEmpty() || path.equals("/")) {
                requireMethod(x, "POST");
                create(x);
                return;
            }
            String[] parts = path.substring(1).split("/", 2);
            FakeSession s = sessions.get(parts[0]);
            if (s == null) {
                error(x, 404, ApiError.of("not_found", "no session " + parts[0]));
                return;
            }
            String rest = parts.length > 1 ? parts[1] : "";
            if (rest.equals("auth")) {
                requireMethod(x, "POST");
                authenticate(x, s, false);
                return;
            }
            if (!authorized(x, s)) {
                return;
            }
            switch (rest) {
                case "" -> {
                    if (method.equals("DELETE")) {
                        disconnect(x, s);
                    } else {
                        requireMethod(x, "GET");
                        ok(x, 200, status(s));
                    }
                }
                case "reauth" -> authenticate(x, s, true);
                case "step-up" -> stepUp(x, s);
                case "access" -> access(x, s);
                case "server-config" -> serverConfig(x, s);
                case "client-config" -> clientConfig(x, s);
                case "confirm" -> confirm(x, s);
                case "status" -> {
                    reports.add(read(x, StatusReport.class));
                    ok(x, 200, status(s));
                }
                case "policy" -> policy(x, s);
                case "policy-ack" -> {
                    acks.add(read(x, PolicyAck.class));
                    x.sendResponseHeaders(204, -1);
                }
                default -> error(x, 404, ApiError.of("not_found", "no such path"));
            }
        } catch (BadRequest e) {
            error(x, e.status, ApiError.of(e.code, e.getMessage()));
        } catch (Exception e) {
            error(x, 500, ApiError.of("internal", String.valueOf(e)));
        }
    }

    private void create(HttpExchange x) throws IOException {
        ConnectionRequest r = read(x, ConnectionRequest.class);
        if (hugeAnswerBytes > 0) {
            streamHugeAnswer(x, hugeAnswerBytes);
            return;
        }
        requests.add(r);
        String id = "s" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        FakeSession s = new FakeSession(id, Key.fromBase64(r.publicKey()), r.requestedAddress());
        sessions.put(id, s);
        ok(x, 201, new AuthChallenge(id, auth.methods, clock.instant().plusSeconds(120), auth.prompts));
    }

    /** A syntactically endless session id, written in 64 KiB pieces and counted, until the client hangs up. */
    private void streamHugeAnswer(HttpExchange x, long total) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json");
        // chunked (0) unless announced: then the client cannot refuse it before reading
        x.sendResponseHeaders(201, hugeAnswerAnnounced ? total + 16 : 0);
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'a');
        try {
            var out = x.getResponseBody();
            out.write("{\"sessionId\":\"".getBytes(StandardCharsets.US_ASCII));
            for (long sent = 0; sent + piece.length <= total; sent += piece.length) {
                out.write(piece);
                hugeBytesWritten.addAndGet(piece.length);
            }
            out.write("\"}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException clientHungUp) {
            // what the test wants to see: the client stopped reading
        }
    }

    private void authenticate(HttpExchange x, FakeSession s, boolean reauth) throws IOException {
        AuthResponse r = read(x, AuthResponse.class);
        if (!reauth && s.phase != SessionPhase.CHALLENGED) {
            error(x, 409, ApiError.of("out_of_order", "the session is " + s.phase));
            return;
        }
        FakeAuth.Verdict v;
        synchronized (s) {
            v = auth.authenticate(r, s.firstDone, clock);
        }
        if (!v.accepted()) {
            refuse(x, v);
            return;
        }
        s.token = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Keys.generatePreshared().toBytes());
        s.expiresAt = clock.instant().plus(lifetime);
        if (reauth) {
            reauthentications.incrementAndGet();
        } else {
            s.phase = SessionPhase.AUTHENTICATED;
        }
        ok(x, 200, new SessionGrant(s.id, s.token, s.expiresAt));
    }

    private void stepUp(HttpExchange x, FakeSession s) throws IOException {
        requireMethod(x, "POST");
        FakeAuth.Verdict v = auth.stepUp(read(x, AuthResponse.class), clock);
        if (!v.accepted()) {
            refuse(x, v);
            return;
        }
        ok(x, 200, status(s));
    }

    private void access(HttpExchange x, FakeSession s) throws IOException {
        requireMethod(x, "POST");
        ResourceRequest r = read(x, ResourceRequest.class);
        accessRequests.add(r);
        accessTokens.add(x.getRequestHeaders().getFirst("Authorization"));
        if (s.phase != SessionPhase.CONFIGURED && s.phase != SessionPhase.ACTIVE) {
            error(x, 409, ApiError.of("out_of_order", "the session is " + s.phase + "; configure it first"));
            return;
        }
        String what = r.protocol() + " " + r.destination() + (r.port() == 0 ? "" : ":" + r.port());
        String denied = accessDenied;
        if (denied != null) {
            error(x, 403, ApiError.of("forbidden", denied));
            return;
        }
        if (accessStepUps.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            List<MethodPrompt> asked = accessStepUp;
            auth.stepUp = asked;
            error(
                    x,
                    401,
                    new ApiError(
                            "step_up_required",
                            "Access to " + what + " needs one more factor",
                            asked.stream().map(MethodPrompt::method).toList(),
                            asked,
                            null));
            return;
        }
        Instant until = accessUntil != null ? accessUntil : clock.instant().plus(Duration.ofMinutes(30));
        ok(x, 200, new ResourceGrant(r.protocol(), r.destination(), r.port(), until, accessReason));
    }

    private void refuse(HttpExchange x, FakeAuth.Verdict v) {
        if (v.retryAfter() != null) {
            x.getResponseHeaders()
                    .set("Retry-After", Long.toString(v.retryAfter().toSeconds()));
        }
        error(x, v.status(), v.error());
    }

    private boolean authorized(HttpExchange x, FakeSession s) throws IOException {
        String h = x.getRequestHeaders().getFirst("Authorization");
        if (s.expired || (s.expiresAt != null && clock.instant().isAfter(s.expiresAt))) {
            error(x, 401, ApiError.of("expired", "the session has expired"));
            return false;
        }
        if (h == null || s.token == null || !h.equals("Bearer " + s.token) || s.phase.isTerminal()) {
            error(x, 401, ApiError.of("unauthorized", "the token is not valid for this session"));
            return false;
        }
        return true;
    }

    private void serverConfig(HttpExchange x, FakeSession s) throws Exception {
        requireMethod(x, "GET");
        if (failServerConfig) {
            error(x, 503, ApiError.of("unavailable", "no WireGuard interface yet"));
            return;
        }
        if (s.address == null) {
            s.address = lease(s.requested);
            s.psk = Keys.generatePreshared();
        }
        FakeControlServer carrier = placeOn;
        Key serverKey = carrier != null
                ? carrier.wireguard.publicKey()
                : wireguard != null ? wireguard.publicKey() : Keys.publicFrom(Keys.generatePrivate());
        String endpoint = carrier != null
                ? carrier.wireguard.endpoint()
                : endpointOverride != null
                        ? endpointOverride
                        : wireguard != null ? wireguard.endpoint() : "192.0.2.1:51820";
        ServerConfig config = new ServerConfig(
                serverKey.toBase64(),
                endpoint,
                List.of(s.address + "/32"),
                List.of("10.8.0.0/24"),
                dns,
                1420,
                routes,
                keepalive,
                s.psk.toBase64(),
                gateways != null ? gateways : carrier != null ? carrier.otherNodes() : otherNodes(),
                carrier == null ? null : carrier.asGateway());
        UnaryOperator<ObjectNode> edit = serverConfigEdit;
        if (edit == null) {
            ok(x, 200, config);
        } else {
            ok(x, 200, edit.apply(json.valueToTree(config)));
        }
    }

    private void clientConfig(HttpExchange x, FakeSession s) throws Exception {
        requireMethod(x, "PUT");
        ClientConfig c = read(x, ClientConfig.class);
        if (s.address == null) {
            error(x, 409, ApiError.of("out_of_order", "the session is " + s.phase + "; get the server config first"));
            return;
        }
        if (!Key.fromBase64(c.publicKey()).equals(s.clientKey)) {
            throw new BadRequest(400, "invalid_request", "publicKey is not the one of the connection request");
        }
        for (FakeControlServer n : nodes) {
            if (n == this && wireguard != null) {
                wireguard.addPeer(s.clientKey, s.psk, s.address + "/32");
            } else if (n.wireguard != null) {
                try {
                    n.wireguard.addPeer(s.clientKey, s.psk, s.address + "/32");
                } catch (Exception deadNode) {
                    // a node that was killed gets the peer from the store when it starts again
                }
            }
        }
        s.phase = SessionPhase.CONFIGURED;
        ok(x, 200, status(s));
    }

    private void confirm(HttpExchange x, FakeSession s) throws IOException {
        requireMethod(x, "POST");
        read(x, SetupConfirmation.class);
        if (s.phase != SessionPhase.CONFIGURED && s.phase != SessionPhase.ACTIVE) {
            error(x, 409, ApiError.of("out_of_order", "the session is " + s.phase));
            return;
        }
        s.confirmed = true;
        ok(x, 200, status(s));
    }

    private void policy(HttpExchange x, FakeSession s) throws Exception {
        requireMethod(x, "GET");
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        long after = Long.parseLong(q.getOrDefault("after", "0"));
        long wait = Math.min(60, Long.parseLong(q.getOrDefault("wait", "0")));
        PolicyUpdate found;
        synchronized (s) {
            long deadline = System.currentTimeMillis() + wait * 1000;
            while ((s.policy == null || s.policy.version() <= after)
                    && System.currentTimeMillis() < deadline
                    && !s.phase.isTerminal()) {
                s.wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            found = s.policy != null && s.policy.version() > after ? s.policy : null;
        }
        if (found == null) {
            x.sendResponseHeaders(204, -1);
        } else {
            ok(x, 200, found);
        }
    }

    private void disconnect(HttpExchange x, FakeSession s) throws Exception {
        deletes.incrementAndGet();
        s.phase = SessionPhase.DISCONNECTED;
        release(s);
        synchronized (s) {
            s.notifyAll();
        }
        ok(x, 200, status(s));
    }

    private void release(FakeSession s) throws Exception {
        for (FakeControlServer n : nodes) {
            if (n == this && wireguard != null) {
                wireguard.removePeer(s.clientKey);
            } else if (n.wireguard != null) {
                try {
                    n.wireguard.removePeer(s.clientKey);
                } catch (Exception deadNode) {
                    // a node that was killed has no peers to remove
                }
            }
        }
        if (s.address != null) {
            leased.remove(s.address);
        }
    }

    private SessionStatus status(FakeSession s) {
        if (s.phase == SessionPhase.CONFIGURED
                && s.confirmed
                && (wireguard == null || wireguard.handshakeDone(s.clientKey))) {
            s.phase = SessionPhase.ACTIVE;
        }
        long version = s.policy == null ? 0 : s.policy.version();
        return new SessionStatus(
                s.id,
                s.phase,
                "alice",
                s.address == null ? List.of() : List.of(s.address + "/32"),
                s.expiresAt,
                null,
                0,
                0,
                version,
                s.phase.isTerminal() || s.phase == SessionPhase.CHALLENGED ? List.of() : auth.stepUp);
    }

    private synchronized String lease(String requested) {
        if (requested != null && requested.startsWith("10.8.0.") && leased.add(requested)) {
            return requested;
        }
        for (int i = 2; i < 255; i++) {
            String a = "10.8.0." + i;
            if (leased.add(a)) {
                return a;
            }
        }
        throw new IllegalStateException("pool exhausted");
    }

    // ---- plumbing ----

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        BadRequest(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static void requireMethod(HttpExchange x, String method) {
        if (!x.getRequestMethod().equals(method)) {
            throw new BadRequest(405, "method_not_allowed", x.getRequestMethod() + " is not allowed here");
        }
    }

    private <T> T read(HttpExchange x, Class<T> type) throws IOException {
        String ct = x.getRequestHeaders().getFirst("Content-Type");
        if (ct == null || !ct.startsWith("application/json")) {
            throw new BadRequest(415, "unsupported_media_type", "send application/json");
        }
        byte[] body = x.getRequestBody().readAllBytes();
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new BadRequest(400, "invalid_request", e.getMessage());
        }
    }

    private void ok(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private void error(HttpExchange x, int status, ApiError error) {
        try {
            ok(x, status, error);
        } catch (IOException e) {
            // the client went away
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(
                            kv.substring(0, eq),
                            java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }
}
