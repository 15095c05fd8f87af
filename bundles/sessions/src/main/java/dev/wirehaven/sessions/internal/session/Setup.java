package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.control.ClientConfig;
import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.SetupConfirmation;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.ipam.PoolExhaustedException;
import dev.wirehaven.sessions.internal.store.PeerRecord;
import dev.wirehaven.sessions.internal.store.PeerRepository;
import dev.wirehaven.sessions.internal.store.SessionRecord;
import dev.wirehaven.sessions.internal.store.SessionRepository;
import dev.wirehaven.sessions.internal.store.TunnelAddresses;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.ConfigException;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 5 to 8 of the flow: the server's config for the client (with the tunnel addresses leased
 * now), the client's config (the peer goes on the device), and the client's confirmation that its
 * interface is up (ACTIVE once the first handshake completed).
 */
final class Setup {

    private static final Logger LOG = LoggerFactory.getLogger(Setup.class);

    private final Supplier<SessionSettings> settings;
    private final SessionAccess access;
    private final SessionRepository sessions;
    private final PeerRepository peers;
    private final PeerTable table;
    private final AddressLeases leases;
    private final Advertisements advertisements;
    private final SessionLifecycle lifecycle;
    private final FlowEvents events;
    private final TrafficEnforcement enforcement;
    private final ClusterChanges cluster;
    private final NodeMembership membership;

    Setup(
            Supplier<SessionSettings> settings,
            SessionAccess access,
            SessionRepository sessions,
            PeerRepository peers,
            PeerTable table,
            AddressLeases leases,
            Advertisements advertisements,
            SessionLifecycle lifecycle,
            FlowEvents events,
            TrafficEnforcement enforcement,
            ClusterChanges cluster,
            NodeMembership membership) {
        this.cluster = cluster;
        this.membership = membership;
        this.enforcement = enforcement;
        this.settings = settings;
        this.access = access;
        this.sessions = sessions;
        this.peers = peers;
        this.table = table;
        this.leases = leases;
        this.advertisements = advertisements;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    ServerConfig serverConfig(String sessionId, String token, String requestHost) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "get the server config");
            SessionSettings c = settings.get();
            NodeMembership.Placement placed = membership.place(sessionId);
            String serverKey =
                    placed.other() == null ? table.publicKey() : placed.other().publicKey();
            if (serverKey == null) {
                throw new FlowException(
                        FlowFailure.UNAVAILABLE,
                        "The WireGuard interface " + table.interfaceName()
                                + " has no private key yet; try again shortly");
            }
            String endpoint = placed.other() == null
                    ? endpoint(c, requestHost)
                    : placed.other().endpoint();
            // the client calls the node that carries its tunnel from now on (a node lost costs it one gateway)
            Gateway carrying = placed.other() == null
                    ? membership.self(endpoint, serverKey)
                    : NodeMembership.gateway(placed.other());
            // leased last, so that a refused request leaves no lease behind
            s = withAddresses(s);
            return new ServerConfig(
                    serverKey,
                    endpoint,
                    FlowErrors.texts(s.addresses().hostPrefixes()),
                    FlowErrors.texts(c.subnets()),
                    c.dns(),
                    c.mtu(),
                    FlowErrors.texts(c.routes()),
                    c.keepalive(),
                    s.presharedKey(),
                    placed.alternatives(),
                    carrying);
        });
    }

    SessionStatus clientConfig(String sessionId, String token, ClientConfig config) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_AUTH, "send the client config");
            if (!config.publicKey().equals(s.clientPublicKey())) {
                if (s.phase() == SessionPhase.AUTHENTICATED) {
                    throw FlowErrors.invalid("publicKey is not the key of the connection request; start a new"
                            + " connection request to use another key");
                }
                throw new FlowException(
                        FlowFailure.OUT_OF_ORDER,
                        "The session is " + s.phase() + " with another key;"
                                + " start a new connection request to use another key");
            }
            SessionRecord authorized = s;
            return advertisements.atomically(
                    !config.allowedIps().isEmpty(), () -> configure(authorized, config.allowedIps()));
        });
    }

    /** Admits the advertisements, leases the addresses and puts the peer on the device with its filter. */
    private SessionStatus configure(SessionRecord authorized, List<String> advertised) throws FlowException {
        SessionRecord s = authorized;
        refuseKeyOfAnotherPeer(s);
        List<IpPrefix> admitted;
        try {
            admitted = advertisements.admit(s, advertised, settings.get());
        } catch (FlowException e) {
            if (e.failure() == FlowFailure.FORBIDDEN) {
                events.security(
                        e.getMessage().contains("static peer") || e.getMessage().contains("another session")
                                ? SecurityEvent.OWNERSHIP_CONFLICT
                                : SecurityEvent.ACCESS_DENIED,
                        Severity.MEDIUM,
                        s.user(),
                        null,
                        s.id(),
                        "refused advertisement: " + e.getMessage());
            }
            throw e;
        }
        s = withAddresses(s);
        List<String> allowedIps = new ArrayList<>(FlowErrors.texts(s.addresses().hostPrefixes()));
        allowedIps.addAll(FlowErrors.texts(admitted));
        PeerRecord peer = new PeerRecord(s.clientPublicKey(), s.id(), s.presharedKey(), allowedIps, 0, access.now());
        peers.put(peer);
        try {
            if (membership.active()) {
                table.put(peer, enforcement.filterFor(s, admitted));
            } // a drained node holds no session peers: the node the session was placed on puts it on
        } catch (ConfigException | RuntimeException e) {
            peers.removeOfSession(s.id());
            enforcement.forget(s.id());
            LOG.error("Cannot add the peer of session {} to {}: {}", s.id(), table.interfaceName(), e.getMessage());
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "The server could not add the peer to its WireGuard" + " interface; try again later");
        }
        boolean first = s.phase() == SessionPhase.AUTHENTICATED;
        SessionRecord next = s.configured(FlowErrors.texts(admitted), access.now());
        access.save(next, s);
        // saved first: the other nodes read the CONFIGURED session when they put its peer on (pre-staged)
        cluster.peerChanged(s.id(), peer.publicKey());
        if (first) {
            events.step(
                    next,
                    SessionPhase.CONFIGURED,
                    "client config accepted"
                            + (admitted.isEmpty()
                                    ? ""
                                    : "; advertises " + String.join(", ", FlowErrors.texts(admitted))));
        }
        events.step(
                next,
                next.phase(),
                (first ? "peer added to " : "peer updated on ") + table.interfaceName() + " with allowed IPs "
                        + String.join(", ", allowedIps));
        return SessionViews.status(next, table.recent());
    }

    /**
     * Refuses a key that the device has for a peer this session does not own (a static peer, or a
     * peer set with {@code wg}): its preshared key and allowed IPs are not the session's to overwrite.
     * The device refuses it too; asking first gives the client a clear answer instead of a 503.
     */
    private void refuseKeyOfAnotherPeer(SessionRecord s) throws FlowException {
        PeerSnapshot there = table.fresh().get(s.clientPublicKey());
        if (there != null && !PeerTable.ownerOf(s.id()).equals(there.owner())) {
            events.security(
                    SecurityEvent.OWNERSHIP_CONFLICT,
                    Severity.HIGH,
                    s.user(),
                    null,
                    s.id(),
                    "the client's key is the key of another peer of " + table.interfaceName()
                            + (there.owner() == null ? " (a static peer)" : " (another session)"));
            throw new FlowException(
                    FlowFailure.FORBIDDEN,
                    "This WireGuard public key belongs to another peer of the server; generate a new key pair for"
                            + " this device");
        }
    }

    SessionStatus confirm(String sessionId, String token, SetupConfirmation confirmation) throws FlowException {
        return access.locked(sessionId, () -> {
            SessionRecord s = access.authorized(sessionId, token, SessionAccess.AFTER_CONFIG, "confirm the setup");
            Map<String, PeerSnapshot> device = table.fresh();
            SessionRecord next = lifecycle.observe(s, device.get(s.clientPublicKey()));
            events.step(
                    next,
                    next.phase(),
                    "client confirmed its setup"
                            + (confirmation.interfaceName().isEmpty()
                                    ? ""
                                    : " on interface " + FlowErrors.printable(confirmation.interfaceName())));
            return SessionViews.status(next, device);
        });
    }

    /** The session with its tunnel addresses, leased now if it has none yet. */
    private SessionRecord withAddresses(SessionRecord s) throws FlowException {
        if (!s.addresses().isEmpty()) {
            return s;
        }
        TunnelAddresses leased;
        try {
            leased = leases.lease(
                    s, id -> sessions.find(id).map(SessionRecord::isOpen).orElse(false));
        } catch (PoolExhaustedException e) {
            LOG.error(e.getMessage());
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "No tunnel address is free on the server now; try again" + " later or ask the operator");
        }
        SessionRecord next = s.withAddresses(leased);
        if (!sessions.save(next, s.phase())) {
            leases.release(leased);
            throw FlowErrors.changedMeanwhile(s);
        }
        events.step(
                next,
                next.phase(),
                "tunnel addresses leased: "
                        + next.addresses().addresses().stream()
                                .map(IpAddresses::format)
                                .collect(Collectors.joining(", ")));
        return next;
    }

    private String endpoint(SessionSettings c, String requestHost) throws FlowException {
        if (c.endpoint() != null) {
            return c.endpoint().orPort(table.listenPort()).toString();
        }
        if (requestHost == null || requestHost.isBlank()) {
            throw new FlowException(
                    FlowFailure.UNAVAILABLE,
                    "The server has no endpoint configured and the request"
                            + " named no host; the operator sets endpoint in etc/" + SessionSettings.PID + ".cfg");
        }
        HostPort host =
                HostPort.parse(requestHost).orElseThrow(() -> FlowErrors.invalid("the Host header is not a host name"));
        return new HostPort(host.host(), table.listenPort()).toString();
    }
}
