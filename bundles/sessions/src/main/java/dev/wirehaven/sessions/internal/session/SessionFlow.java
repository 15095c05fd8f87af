package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.ControlPlane;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.sessions.internal.ipam.PoolExhaustedException;
import dev.wirehaven.sessions.internal.monitor.LogThrottle;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.server.support.store.StoreException;
import dev.wirehaven.sessions.internal.store.TunnelAddresses;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.Keys;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's connection flow behind {@link ControlPlane}: each step checks the token and the phase,
 * does its work under the session's lock, saves the next phase, and records the step. A refused
 * step changes nothing (except the failed-login counts, and the cleanup of a session found expired).
 *
 * <p>Credentials are the exception to working under the lock: checking them may take long (Argon2,
 * a directory), and the lock is striped, so an unrelated session's keep-alive could wait behind it.
 * A login reads the session under the lock, checks the credentials without any lock, then saves the
 * outcome under the lock only if the session is still where the check found it (see
 * {@link #authenticate}).
 *
 * <p>Connection requests are the one step that anyone may send without a session: they are limited
 * per source (an IPv4 address, an IPv6 /64) by a token bucket, and by the sessions that still wait
 * for authentication, per source and in all.
 */
final class SessionFlow implements ControlPlane {

    /** The longest a policy poll may wait, as the control API documents. */
    static final Duration MAX_POLICY_WAIT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(SessionFlow.class);
    private static final Set<SessionPhase> AFTER_AUTH =
            EnumSet.of(SessionPhase.AUTHENTICATED, SessionPhase.CONFIGURED, SessionPhase.ACTIVE);
    private static final Set<SessionPhase> AFTER_CONFIG = EnumSet.of(SessionPhase.CONFIGURED, SessionPhase.ACTIVE);

    private final Supplier<SessionSettings> settings;
    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final AddressLeases leases;
    private final AuthChain chain;
    private final Login login;
    private final ConnectionRequestLimiter requests;
    /** Serialises the count and the insert of the connection requests of one source. */
    private final SessionLocks sourceLocks = new SessionLocks();
    /** A flood meets {@code pending.max} at every request: one log line a minute says so. */
    private final LogThrottle pendingFullLog = new LogThrottle(1, TimeUnit.MINUTES);
    private final SubnetPolicy subnets;
    private final PolicyWatch policy;
    private final SessionLifecycle lifecycle;
    private final FlowEvents events;
    private final SessionTokens tokens;
    private final SessionLocks locks;
    /** Serialises the supersession passes of one client key. */
    private final SessionLocks keyLocks = new SessionLocks();
    private final Clock clock;

    SessionFlow(Supplier<SessionSettings> settings, SessionRepository sessions, PeerRepository peers, PeerTable table,
            AddressLeases leases, AuthChain chain, Login login, ConnectionRequestLimiter requests, SubnetPolicy subnets,
            PolicyWatch policy, SessionLifecycle lifecycle, FlowEvents events, SessionTokens tokens, SessionLocks locks,
            Clock clock) {
        this.settings = settings;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.leases = leases;
        this.chain = chain;
        this.login = login;
        this.requests = requests;
        this.subnets = subnets;
        this.policy = policy;
        this.lifecycle = lifecycle;
        this.events = events;
        this.tokens = tokens;
        this.locks = locks;
        this.clock = clock;
    }

    @Override
    public AuthChallenge requestConnection(ConnectionRequest request, InetAddress source) throws FlowException {
        return guarded(() -> {
            SessionSettings c = settings.get();
            String sourceKey = source == null ? null : SourceKey.of(source);
            if (sourceKey != null) {
                Optional<Duration> wait = requests.acquire(sourceKey, clock.instant(), c.requests());
                if (wait.isPresent()) {
                    throw FlowException.rateLimited("Too many connection requests from " + sourceKey, wait.get());
                }
            }
            String requested = requestedAddress(request);
            if (request.publicKey().equals(table.publicKey())) {
                throw invalid("publicKey is the server's own key; generate a key pair for the client");
            }
            List<String> methods = chain.methods();
            if (methods.isEmpty()) {
                throw new FlowException(FlowFailure.UNAVAILABLE, "The server has no auth provider installed and cannot"
                        + " authenticate anyone now; ask the operator");
            }
            SessionRecord s = admitPending(sourceKey, c, now -> {
                SessionRecord challenged = SessionRecord.challenged(tokens.newSessionId(), request.publicKey(),
                        request.deviceName(), source == null ? null : source.getHostAddress(), requested, now,
                        now.plus(c.challengeTimeout()), methods);
                sessions.insert(challenged, sourceKey);
                return challenged;
            });
            events.step(s, SessionPhase.REQUESTED, "connection request" + (source == null ? "" : " from "
                    + source.getHostAddress()) + " for device '" + s.deviceName() + "', key " + s.clientPublicKey()
                    + (requested == null ? "" : ", asking for " + requested));
            events.step(s, SessionPhase.CHALLENGED, "challenged with " + String.join(", ", methods));
            return new AuthChallenge(s.id(), methods, s.expiresAt());
        });
    }

    @Override
    public SessionGrant authenticate(String sessionId, AuthResponse response, InetAddress source) throws FlowException {
        // the challenge as it is now, read under the lock ...
        SessionRecord read = locked(sessionId, () -> {
            SessionRecord s = find(sessionId);
            if (s.phase() == SessionPhase.EXPIRED) {
                throw expired();
            }
            if (s.phase() != SessionPhase.CHALLENGED) {
                throw outOfOrder(s, "authenticate");
            }
            if (!clock.instant().isBefore(s.expiresAt())) {
                lifecycle.close(s, SessionPhase.EXPIRED, "the auth challenge was not answered in time");
                throw new FlowException(FlowFailure.EXPIRED, "The auth challenge lapsed; start again with a new"
                        + " connection request");
            }
            return s;
        });
        // ... the credentials checked without any lock ...
        Login.Outcome outcome = guarded(() -> login.attempt(read, response, source, false));
        // ... and the outcome saved under the lock, if the challenge is still the one that was answered
        Authenticated done = locked(sessionId, () -> {
            SessionRecord s = find(sessionId);
            if (s.phase() == SessionPhase.EXPIRED) {
                throw expired();
            }
            if (s.phase() != SessionPhase.CHALLENGED || !sameFactors(s, read)) {
                throw changedMeanwhile(read);
            }
            Instant now = clock.instant();
            if (!outcome.complete()) {
                SessionRecord next = s.withFactor(outcome.identity(), outcome.nextMethods(), outcome.completedMethods(),
                        now.plus(settings.get().challengeTimeout()));
                save(next, s);
                events.step(next, SessionPhase.CHALLENGED, "method " + response.method() + " accepted for user '"
                        + next.user() + "'; challenged with " + String.join(", ", outcome.nextMethods()));
                throw FlowException.anotherFactor(outcome.nextMethods());
            }
            refuseKeyOfAnotherUser(s, outcome.identity().user());
            String token = tokens.newToken();
            SessionRecord next = s.authenticated(SessionTokens.hash(token), outcome.identity(),
                    Keys.generatePreshared().toBase64(), now, now.plus(settings.get().sessionLifetime()));
            save(next, s);
            events.step(next, SessionPhase.AUTHENTICATED, "authenticated as '" + next.user() + "' with "
                    + String.join(" and ", outcome.completedMethods()) + groups(next) + "; token valid until "
                    + next.expiresAt());
            return new Authenticated(next, new SessionGrant(next.id(), token, next.expiresAt()));
        });
        supersedeOthers(done.session());
        return done.grant();
    }

    @Override
    public ServerConfig serverConfig(String sessionId, String token, String requestHost) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "get the server config");
            SessionSettings c = settings.get();
            String serverKey = table.publicKey();
            if (serverKey == null) {
                throw new FlowException(FlowFailure.UNAVAILABLE, "The WireGuard interface " + table.interfaceName()
                        + " has no private key yet; try again shortly");
            }
            String endpoint = endpoint(c, requestHost);
            // leased last, so that a refused request leaves no lease behind
            s = withAddresses(s);
            return new ServerConfig(serverKey, endpoint, texts(s.addresses().hostPrefixes()), texts(c.subnets()),
                    c.dns(), c.mtu(), texts(c.routes()), c.keepalive(), s.presharedKey());
        });
    }

    @Override
    public SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "send the client config");
            if (!config.publicKey().equals(s.clientPublicKey())) {
                if (s.phase() == SessionPhase.AUTHENTICATED) {
                    throw invalid("publicKey is not the key of the connection request; start a new connection"
                            + " request to use another key");
                }
                throw new FlowException(FlowFailure.OUT_OF_ORDER, "The session is " + s.phase() + " with another key;"
                        + " start a new connection request to use another key");
            }
            List<IpPrefix> admitted = admit(s, config.allowedIps());
            s = withAddresses(s);
            List<String> allowedIps = new ArrayList<>(texts(s.addresses().hostPrefixes()));
            allowedIps.addAll(texts(admitted));
            PeerRecord peer = new PeerRecord(s.clientPublicKey(), s.id(), s.presharedKey(), allowedIps, 0,
                    clock.instant());
            peers.put(peer);
            try {
                table.put(peer);
            } catch (ConfigException | RuntimeException e) {
                peers.removeOfSession(s.id());
                LOG.error("Cannot add the peer of session {} to {}: {}", s.id(), table.interfaceName(), e.getMessage());
                throw new FlowException(FlowFailure.UNAVAILABLE, "The server could not add the peer to its WireGuard"
                        + " interface; try again later");
            }
            boolean first = s.phase() == SessionPhase.AUTHENTICATED;
            SessionRecord next = s.configured(texts(admitted), clock.instant());
            save(next, s);
            if (first) {
                events.step(next, SessionPhase.CONFIGURED, "client config accepted"
                        + (admitted.isEmpty() ? "" : "; advertises " + String.join(", ", texts(admitted))));
            }
            events.step(next, next.phase(), (first ? "peer added to " : "peer updated on ") + table.interfaceName()
                    + " with allowed IPs " + String.join(", ", allowedIps));
            return status(next, table.recent());
        });
    }

    @Override
    public SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_CONFIG, "confirm the setup");
            Map<String, PeerSnapshot> device = table.fresh();
            SessionRecord next = lifecycle.observe(s, device.get(s.clientPublicKey()));
            events.step(next, next.phase(), "client confirmed its setup"
                    + (confirmation.interfaceName().isEmpty() ? "" : " on interface "
                            + printable(confirmation.interfaceName())));
            return status(next, device);
        });
    }

    @Override
    public SessionStatus status(String sessionId, String token) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "ask for its status");
            if (s.phase() == SessionPhase.CONFIGURED) {
                // a client waiting for ACTIVE learns it at its next poll, not at the reaper's next sweep
                Map<String, PeerSnapshot> device = table.fresh();
                return status(lifecycle.observe(s, device.get(s.clientPublicKey())), device);
            }
            return status(s, table.recent());
        });
    }

    @Override
    public SessionStatus report(String sessionId, String token, StatusReport report) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "report its status");
            Map<String, String> tags = Map.of("session", s.id(), "user", s.user(), "interface", table.interfaceName());
            events.metric("wirehaven.client.rx.bytes", report.rxBytes(), "By", tags);
            events.metric("wirehaven.client.tx.bytes", report.txBytes(), "By", tags);
            if (report.handshakeAgeSeconds() >= 0) {
                events.metric("wirehaven.client.handshake.age", report.handshakeAgeSeconds(), "s", tags);
            }
            if (report.latencyMillis() >= 0) {
                events.metric("wirehaven.client.latency", report.latencyMillis(), "ms", tags);
            }
            return status(s, table.recent());
        });
    }

    @Override
    public CompletionStage<Optional<PolicyUpdate>> policyAfter(String sessionId, String token, long afterVersion,
            Duration wait) throws FlowException {
        if (afterVersion < 0) {
            throw invalid("after is negative");
        }
        locked(sessionId, () -> authorized(sessionId, token, AFTER_AUTH, "poll for a policy"));
        Duration bounded = wait == null || wait.isNegative() ? Duration.ZERO
                : wait.compareTo(MAX_POLICY_WAIT) > 0 ? MAX_POLICY_WAIT : wait;
        return policy.after(sessionId, afterVersion, bounded);
    }

    @Override
    public void acknowledgePolicy(String sessionId, String token, PolicyAck ack) throws FlowException {
        locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "acknowledge a policy");
            if (ack.version() > s.policyVersion()) {
                throw invalid("version " + ack.version() + " was never sent; the newest is " + s.policyVersion());
            }
            if (ack.applied()) {
                sessions.acknowledgePolicy(s.id(), ack.version());
            }
            events.step(s, s.phase(), ack.applied() ? "policy version " + ack.version() + " applied"
                    : "policy version " + ack.version() + " not applied: " + printable(ack.detail()));
            return null;
        });
    }

    @Override
    public SessionGrant reauthenticate(String sessionId, String token, AuthResponse response, InetAddress source)
            throws FlowException {
        // as for authenticate: read under the lock, check without it, save under it if nothing changed
        SessionRecord read = locked(sessionId, () -> authorized(sessionId, token, AFTER_AUTH, "re-authenticate"));
        Login.Outcome outcome = guarded(() -> login.attempt(read, response, source, true));
        return locked(sessionId, () -> {
            SessionRecord s = authorized(sessionId, token, AFTER_AUTH, "re-authenticate");
            if (!sameFactors(s, read)) {
                throw changedMeanwhile(read);
            }
            Instant now = clock.instant();
            if (!outcome.complete()) {
                save(s.withFactor(s.identity(), outcome.nextMethods(), outcome.completedMethods(), s.expiresAt()), s);
                throw FlowException.anotherFactor(outcome.nextMethods());
            }
            String newToken = tokens.newToken();
            SessionRecord next = s.renewed(SessionTokens.hash(newToken), outcome.identity(),
                    now.plus(settings.get().sessionLifetime()));
            save(next, s);
            events.step(next, next.phase(), "re-authenticated with " + String.join(" and ", outcome.completedMethods())
                    + "; new token valid until " + next.expiresAt());
            return new SessionGrant(next.id(), newToken, next.expiresAt());
        });
    }

    @Override
    public SessionStatus disconnect(String sessionId, String token) throws FlowException {
        return locked(sessionId, () -> {
            SessionRecord s = find(sessionId);
            if (s.phase() == SessionPhase.DISCONNECTED && SessionTokens.matches(token, s.tokenHash())) {
                // a client that repeats its disconnect (the first answer was lost) learns it is done
                return status(s, Map.of());
            }
            s = authorized(sessionId, token, AFTER_AUTH, "disconnect");
            return status(lifecycle.close(s, SessionPhase.DISCONNECTED, "disconnected by the client"), Map.of());
        });
    }

    /** Ends an open session for an operator; empty when there is none with that id. */
    Optional<SessionRecord> revoke(String sessionId, String by) {
        ReentrantLock lock = locks.of(sessionId);
        lock.lock();
        try {
            Optional<SessionRecord> s = sessions.find(sessionId).filter(SessionRecord::isOpen);
            s.ifPresent(open -> lifecycle.close(open, SessionPhase.DISCONNECTED, "revoked by " + by));
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** The newest policy of a session as the client applies it, or empty when the session has ended. */
    Optional<PolicyUpdate> currentPolicy(String sessionId) {
        Optional<SessionRecord> s = sessions.find(sessionId).filter(SessionRecord::isOpen);
        if (s.isEmpty() || !AFTER_AUTH.contains(s.get().phase())) {
            return Optional.empty();
        }
        SessionSettings c = settings.get();
        return Optional.of(new PolicyUpdate(s.get().policyVersion(), texts(c.routes()), c.dns(), c.keepalive(),
                s.get().expiresAt()));
    }

    @Override
    public Duration bodyTimeout() {
        return settings.get().bodyTimeout();
    }

    // ---- the checks that every step shares ----

    /** The address the client asked for, as the store keeps it, or null. */
    private static String requestedAddress(ConnectionRequest request) throws FlowException {
        if (request.requestedAddress() == null) {
            return null;
        }
        try {
            return Prefixes.parse(request.requestedAddress()).address().getHostAddress();
        } catch (IllegalArgumentException e) {
            throw invalid("requestedAddress is not an IP address");
        }
    }

    /** Makes a session waiting for authentication; given the time it is made at. */
    @FunctionalInterface
    private interface NewPending {
        SessionRecord insert(Instant now) throws FlowException;
    }

    /**
     * Runs {@code insert} if one more session may wait for authentication: fewer than
     * {@code pending.max.source} of the source (else RATE_LIMITED) and {@code pending.max} of all
     * (else BUSY), each answered with the time until the first of those challenges lapses. The count
     * and the insert of one source are serialised; those of different sources are not, so the total
     * may pass its limit by the few requests that are counted at the same moment.
     */
    private SessionRecord admitPending(String sourceKey, SessionSettings c, NewPending insert) throws FlowException {
        ReentrantLock lock = sourceKey == null ? null : sourceLocks.of(sourceKey);
        if (lock != null) {
            lock.lock();
        }
        try {
            Instant now = clock.instant();
            RequestLimits limits = c.requests();
            if (sourceKey != null) {
                SessionRepository.Pending fromSource = sessions.pendingFrom(sourceKey, now);
                if (fromSource.count() >= limits.maxPendingPerSource()) {
                    throw FlowException.rateLimited(fromSource.count() + " connection requests from " + sourceKey
                            + " wait for authentication already; answer their challenges", untilLapse(fromSource, now));
                }
            }
            SessionRepository.Pending all = sessions.pending(now);
            if (all.count() >= limits.maxPending()) {
                long heldBack = pendingFullLog.permit();
                if (heldBack >= 0) {
                    LOG.warn("Connection requests refused: {} sessions wait for authentication, the limit pending.max"
                            + " of {}; the latest from {} ({} more refusals since the last such line)", all.count(),
                            limits.maxPending(), sourceKey == null ? "an unknown source" : sourceKey, heldBack);
                }
                throw FlowException.busy("The server has as many connection requests waiting for authentication as"
                        + " it takes", untilLapse(all, now));
            }
            return insert.insert(now);
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /** When the first of the pending challenges lapses and frees a place; at least a second. */
    private static Duration untilLapse(SessionRepository.Pending pending, Instant now) {
        Duration d = pending.firstLapse() == null ? Duration.ZERO : Duration.between(now, pending.firstLapse());
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /**
     * True when {@code current} is still in the step of a login that {@code read} was: the same user
     * so far and the same factors passed and asked for, so that an outcome checked against
     * {@code read} may be saved on {@code current}.
     */
    private static boolean sameFactors(SessionRecord current, SessionRecord read) {
        return Objects.equals(current.user(), read.user())
                && current.completedMethods().equals(read.completedMethods())
                && current.challengeMethods().equals(read.challengeMethods())
                && Objects.equals(current.tokenHash(), read.tokenHash());
    }

    /**
     * The session, if the token is its token, it is open and not expired, and in one of {@code phases}.
     * Once a token exists it is checked before anything about the session is revealed; before, the
     * phase is all there is to say (the session id itself is unguessable).
     */
    private SessionRecord authorized(String sessionId, String token, Set<SessionPhase> phases, String step)
            throws FlowException {
        SessionRecord s = find(sessionId);
        if (s.tokenHash() == null && s.phase() == SessionPhase.EXPIRED) {
            throw expired();
        }
        if (s.tokenHash() == null && s.isOpen()) {
            // no token exists yet, so none can be checked: the client is a step early
            throw outOfOrder(s, step);
        }
        if (!SessionTokens.matches(token, s.tokenHash())) {
            throw new FlowException(FlowFailure.UNAUTHORIZED, "The token is not valid for this session; authenticate"
                    + " again with a new connection request");
        }
        if (s.phase() == SessionPhase.EXPIRED) {
            throw expired();
        }
        if (s.phase() == SessionPhase.DISCONNECTED) {
            throw new FlowException(FlowFailure.UNAUTHORIZED, "The session was closed and its token revoked;"
                    + " start again with a new connection request");
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            lifecycle.close(s, SessionPhase.EXPIRED, "the session lifetime ended without re-authentication");
            throw expired();
        }
        if (!phases.contains(s.phase())) {
            throw outOfOrder(s, step);
        }
        return s;
    }

    private SessionRecord find(String sessionId) throws FlowException {
        return sessions.find(sessionId).orElseThrow(() -> new FlowException(FlowFailure.NOT_FOUND,
                "No session " + printable(sessionId) + " (it never existed, or ended long ago); start with a new"
                        + " connection request"));
    }

    /** The session with its tunnel addresses, leased now if it has none yet. */
    private SessionRecord withAddresses(SessionRecord s) throws FlowException {
        if (!s.addresses().isEmpty()) {
            return s;
        }
        TunnelAddresses leased;
        try {
            leased = leases.lease(s, id -> sessions.find(id).map(SessionRecord::isOpen).orElse(false));
        } catch (PoolExhaustedException e) {
            LOG.error(e.getMessage());
            throw new FlowException(FlowFailure.UNAVAILABLE, "No tunnel address is free on the server now; try again"
                    + " later or ask the operator");
        }
        SessionRecord next = s.withAddresses(leased);
        if (!sessions.save(next, s.phase())) {
            leases.release(leased);
            throw changedMeanwhile(s);
        }
        events.step(next, next.phase(), "tunnel addresses leased: " + next.addresses().addresses().stream()
                .map(dev.wirehaven.wireguard.IpAddresses::format).collect(Collectors.joining(", ")));
        return next;
    }

    /** The subnets the client advertises that it may route, or FORBIDDEN for the first that it may not. */
    private List<IpPrefix> admit(SessionRecord s, List<String> advertised) throws FlowException {
        List<IpPrefix> admitted = new ArrayList<>();
        SessionSettings c = settings.get();
        List<SessionRecord> others = advertised.isEmpty() ? List.of() : sessions.open();
        for (String text : advertised) {
            IpPrefix subnet;
            try {
                subnet = Prefixes.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalid("allowedIps entry '" + printable(text) + "' is not an IP prefix");
            }
            for (IpPrefix pool : c.subnets()) {
                if (Prefixes.overlap(pool, subnet)) {
                    throw new FlowException(FlowFailure.FORBIDDEN, "Advertising " + Prefixes.text(subnet)
                            + " is not allowed: it overlaps the tunnel subnet " + Prefixes.text(pool));
                }
            }
            for (SessionRecord other : others) {
                if (other.id().equals(s.id()) || !AFTER_CONFIG.contains(other.phase())) {
                    continue;
                }
                for (String theirs : other.advertisedSubnets()) {
                    if (Prefixes.overlap(Prefixes.parse(theirs), subnet)) {
                        throw new FlowException(FlowFailure.FORBIDDEN, "Advertising " + Prefixes.text(subnet)
                                + " is not allowed: it overlaps " + theirs + ", which another session advertises");
                    }
                }
            }
            subnets.check(s.identity(), s.id(), subnet, c.advertisable());
            admitted.add(subnet);
        }
        return admitted;
    }

    /** Refuses the key when another user's authenticated session holds it: only its owner may replace it. */
    private void refuseKeyOfAnotherUser(SessionRecord s, String user) throws FlowException {
        for (SessionRecord other : sessions.openWithKey(s.clientPublicKey())) {
            if (!other.id().equals(s.id()) && AFTER_AUTH.contains(other.phase()) && !user.equals(other.user())) {
                throw new FlowException(FlowFailure.FORBIDDEN, "This WireGuard public key belongs to another user's"
                        + " session; generate a new key pair for this device");
            }
        }
    }

    /**
     * Closes the other open sessions of the same key and user (or of nobody yet): a client that
     * connects again replaces its previous session. Runs after the new session's lock is released and
     * under a lock of the key, taking each other session's lock in turn, so that no two locks are ever
     * waited for in opposite orders. A new session that was itself closed meanwhile (two logins of one
     * key racing) closes nothing: exactly one of them survives.
     */
    private void supersedeOthers(SessionRecord newer) {
        ReentrantLock keyLock = keyLocks.of(newer.clientPublicKey());
        keyLock.lock();
        try {
            if (sessions.find(newer.id()).filter(SessionRecord::isOpen).isEmpty()) {
                return;
            }
            for (SessionRecord other : sessions.openWithKey(newer.clientPublicKey())) {
                if (other.id().equals(newer.id()) || other.user() != null && !other.user().equals(newer.user())) {
                    continue;
                }
                ReentrantLock lock = locks.of(other.id());
                lock.lock();
                try {
                    sessions.find(other.id()).filter(SessionRecord::isOpen).ifPresent(current ->
                            lifecycle.close(current, SessionPhase.DISCONNECTED, "superseded by session " + newer.id()
                                    + " of the same key"));
                } finally {
                    lock.unlock();
                }
            }
        } catch (StoreException e) {
            LOG.warn("Could not close the sessions that session {} supersedes: {}; they lapse by themselves",
                    newer.id(), e.getMessage());
        } finally {
            keyLock.unlock();
        }
    }

    private SessionStatus status(SessionRecord s, Map<String, PeerSnapshot> device) {
        PeerSnapshot peer = s.isOpen() ? device.get(s.clientPublicKey()) : null;
        Instant handshake = SessionLifecycle.latest(SessionLifecycle.handshakeOf(peer), s.lastHandshakeAt());
        return new SessionStatus(s.id(), s.phase(), s.phase().compareTo(SessionPhase.AUTHENTICATED) >= 0 ? s.user() : null,
                s.isOpen() ? texts(s.addresses().hostPrefixes()) : List.of(),
                s.expiresAt(), handshake, peer == null ? 0 : peer.rxBytes(), peer == null ? 0 : peer.txBytes(),
                s.policyVersion());
    }

    private String endpoint(SessionSettings c, String requestHost) throws FlowException {
        if (c.endpoint() != null) {
            return c.endpoint().orPort(table.listenPort()).toString();
        }
        if (requestHost == null || requestHost.isBlank()) {
            throw new FlowException(FlowFailure.UNAVAILABLE, "The server has no endpoint configured and the request"
                    + " named no host; the operator sets endpoint in etc/" + SessionSettings.PID + ".cfg");
        }
        HostPort host = HostPort.parse(requestHost).orElseThrow(() -> invalid("the Host header is not a host name"));
        return new HostPort(host.host(), table.listenPort()).toString();
    }

    private void save(SessionRecord next, SessionRecord read) throws FlowException {
        if (!sessions.save(next, read.phase())) {
            throw changedMeanwhile(read);
        }
    }

    // ---- error mapping ----

    /** A step's body; may refuse with a FlowException. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws FlowException;
    }

    private <T> T locked(String sessionId, Step<T> step) throws FlowException {
        ReentrantLock lock = locks.of(sessionId);
        lock.lock();
        try {
            return guarded(step);
        } finally {
            lock.unlock();
        }
    }

    /** Turns a broken store into the 503 that the control API documents, with the cause in the log only. */
    private static <T> T guarded(Step<T> step) throws FlowException {
        try {
            return step.run();
        } catch (StoreException e) {
            LOG.error("Session step failed: {}", e.getMessage());
            throw new FlowException(FlowFailure.UNAVAILABLE, "The server's session store is not available now; try"
                    + " again later");
        }
    }

    private static FlowException invalid(String message) {
        return new FlowException(FlowFailure.INVALID_REQUEST, message);
    }

    private static FlowException expired() {
        return new FlowException(FlowFailure.EXPIRED, "The session has expired; start again with a new connection"
                + " request");
    }

    private static FlowException outOfOrder(SessionRecord s, String step) {
        return new FlowException(FlowFailure.OUT_OF_ORDER, "Cannot " + step + " now: the session is " + s.phase()
                + nextStepHint(s.phase()));
    }

    private static FlowException changedMeanwhile(SessionRecord s) {
        return new FlowException(FlowFailure.OUT_OF_ORDER, "The session left phase " + s.phase()
                + " meanwhile; ask for its status and continue from there");
    }

    private static String nextStepHint(SessionPhase phase) {
        return switch (phase) {
            case REQUESTED, CHALLENGED -> "; answer the auth challenge first";
            case AUTHENTICATED -> "; get the server config and send the client config first";
            case CONFIGURED -> "; confirm the setup";
            case ACTIVE -> "";
            case DISCONNECTED, EXPIRED -> "; start again with a new connection request";
        };
    }

    private static String groups(SessionRecord s) {
        return s.identity().groups().isEmpty() ? "" : " (groups " + String.join(", ", s.identity().groups()) + ")";
    }

    private static List<String> texts(List<IpPrefix> prefixes) {
        return prefixes.stream().map(Prefixes::text).toList();
    }

    /** Client text for log lines and messages: control characters replaced, length bounded. */
    private static String printable(String text) {
        String bounded = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return bounded.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private record Authenticated(SessionRecord session, SessionGrant grant) {
    }
}
