package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.TunnelPlatform;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Connector;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.client.internal.tunnel.ServerSettingsCheck;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Sets a session up and brings the tunnel to it, with the connection's keys: the {@link Connector}'s
 * steps (request, credentials, server config, client config), then the tunnel device made the first
 * time and reconfigured after, the host network, the confirmation, and the wait for the server to
 * see the first handshake. Used by the first connect and by each reconnect that needs a new session.
 */
final class SetupFlow {

    /**
     * How long the first handshake, which the tunnel starts as it comes up, may take before the
     * confirmation goes anyway: on a good path it takes a round trip and a few milliseconds of crypto,
     * and then the server can already report ACTIVE in its answer to the confirmation.
     */
    private static final Duration OWN_HANDSHAKE_WAIT = Duration.ofSeconds(1);

    private static final Duration OWN_HANDSHAKE_POLL = Duration.ofMillis(1);
    /** How often a handshake is started while the server does not yet report ACTIVE: WireGuard's own retry pace (REKEY_TIMEOUT). */
    private static final Duration KICK_INTERVAL = Duration.ofSeconds(5);
    /** Asking the server for ACTIVE: soon at first (it is usually a round trip away), then doubling up to a second. */
    private static final long FIRST_ACTIVE_POLL_MILLIS = 10;

    private static final long MAX_ACTIVE_POLL_MILLIS = 1000;

    private final ControlClient control;
    private final Connector connector;
    private final ConnectOptions options;
    private final TunnelPlatform platform;
    private final Key privateKey;
    private final Key publicKey;
    private final Link link;
    private final Reauthentication reauthentication;
    private final Events events;
    private final Timebase time;

    SetupFlow(
            ControlClient control,
            Connector connector,
            ConnectOptions options,
            TunnelPlatform platform,
            Key privateKey,
            Key publicKey,
            Link link,
            Reauthentication reauthentication,
            Events events,
            Timebase time) {
        this.control = control;
        this.connector = connector;
        this.options = options;
        this.platform = platform;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.link = link;
        this.reauthentication = reauthentication;
        this.events = events;
        this.time = time;
    }

    /**
     * Steps 1-9: the session is ACTIVE and its renewal planned when this returns. On failure the
     * session is ended on the server; the tunnel stays for the teardown or the next attempt.
     */
    void establish() throws IOException {
        // a new session is the server's the client was made for, even after a move to another gateway
        control.moveHome();
        String requested = requestedAddress();
        Connector.Established made =
                connector.establish(publicKey, requested, options.deviceName(), options.advertisedSubnets());
        Session s = made.session();
        try {
            ServerConfig c = made.config();
            ServerEndpoint ep = ServerEndpoint.parse(c.endpoint());
            List<Gateway> others = ServerSettingsCheck.gateways(c.gateways());
            Gateway carrying = c.gateway() == null
                    ? null
                    : ServerSettingsCheck.gateways(List.of(c.gateway())).get(0);
            InetSocketAddress address = resolve(ep);
            if (carrying != null) {
                // the node that carries the tunnel answers the calls from now on: one node lost costs one gateway
                control.moveTo(URI.create(carrying.controlUrl()));
            }
            NetworkSettings settings = TunnelSettings.from(c, keepOutside(address));
            String dataPath;
            synchronized (link.tunnelLock) {
                if (link.closing()) {
                    throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made");
                }
                ClientTunnel t = link.tunnel();
                if (t == null) {
                    t = ClientTunnel.open(platform, options.interfaceName(), privateKey, c.mtu());
                    link.tunnelOpened(t);
                }
                t.setServer(
                        Key.fromBase64(c.serverPublicKey()),
                        c.presharedKey() == null ? null : Key.fromBase64(c.presharedKey()),
                        address,
                        c.persistentKeepalive(),
                        settings.routes());
                t.applyHost(settings);
                dataPath = t.device().dataPath();
            }
            link.established(
                    s, c, ep, address, made.status().phase(), made.status().policyVersion());
            // a server before 1.3 does not name the gateway: its endpoint's host stands in
            link.gateways(carrying == null ? ep.host() : carrying.name(), others);
            events.info("Tunnel " + options.interfaceName() + " is up with " + String.join(", ", c.addresses())
                    + (settings.fullTunnel() ? " (full tunnel)" : " (split tunnel: " + settings.routes() + ")")
                    + "; data path: " + dataPath);
            awaitOwnHandshake();
            SessionStatus confirmed = connector.confirm(s, options.interfaceName());
            link.phase(confirmed.phase());
            awaitActive(s, confirmed);
            reauthentication.plan(s.expiresAt());
        } catch (IOException | RuntimeException e) {
            // the flow's own calls may have left the interrupt set; ending the session must still talk to the server
            boolean interrupted = Thread.interrupted();
            connector.abandon(s);
            link.abandoned();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof IllegalArgumentException) {
                throw new ClientException(
                        Reason.REFUSED, "the server's configuration cannot be used: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Past {@link #OWN_HANDSHAKE_WAIT} the confirmation goes anyway and {@link #awaitActive} takes over. */
    private void awaitOwnHandshake() throws ClientException {
        long deadline = time.nanoTime() + OWN_HANDSHAKE_WAIT.toNanos();
        while (link.tunnel().handshakeAgeSeconds() < 0 && time.nanoTime() - deadline < 0) {
            sleep(OWN_HANDSHAKE_POLL);
        }
    }

    /** Waits for the server to report ACTIVE (the first handshake completed), starting handshakes meanwhile. */
    private void awaitActive(Session s, SessionStatus confirmed) throws IOException {
        if (confirmed.phase() == SessionPhase.ACTIVE) {
            return;
        }
        ServerEndpoint endpoint = link.endpoint();
        events.info("Setup confirmed; waiting for the first handshake with " + endpoint);
        long start = time.nanoTime();
        long deadline = start + options.setupTimeout().toNanos();
        long nextKick = start;
        long wait = FIRST_ACTIVE_POLL_MILLIS;
        while (true) {
            if (time.nanoTime() - nextKick >= 0) {
                link.tunnel().kickHandshake();
                nextKick = time.nanoTime() + KICK_INTERVAL.toNanos();
            }
            sleep(Duration.ofMillis(wait));
            wait = Math.min(wait * 2, MAX_ACTIVE_POLL_MILLIS);
            SessionStatus st;
            try {
                st = control.status(s.id(), s.token());
            } catch (ControlApiException e) {
                throw Connector.refused("the session during setup", e);
            }
            SessionPhase phase = st.phase();
            link.phase(phase);
            if (phase == SessionPhase.ACTIVE) {
                return;
            }
            if (phase.isTerminal()) {
                throw new ClientException(Reason.REFUSED, "the server ended the session during setup (" + phase + ")");
            }
            if (time.nanoTime() - deadline >= 0) {
                long age = link.tunnel().handshakeAgeSeconds();
                throw new ClientException(
                        Reason.TUNNEL_FAILED,
                        age < 0
                                ? "no WireGuard handshake with " + endpoint + " within "
                                        + options.setupTimeout().toSeconds()
                                        + " s: UDP to the server is blocked, or its WireGuard interface is down"
                                : "the handshake with " + endpoint + " completed, but after "
                                        + options.setupTimeout().toSeconds()
                                        + " s the server still reports the session " + phase);
            }
        }
    }

    /** Looks the endpoint's name up again; a server that moved gets the tunnel's UDP and stays outside the tunnel. */
    void refreshEndpoint() throws IOException {
        ServerEndpoint ep = link.endpoint();
        InetSocketAddress now = resolve(ep);
        if (now.equals(link.endpointAddress())) {
            return;
        }
        synchronized (link.tunnelLock) {
            ClientTunnel t = link.tunnel();
            t.setEndpoint(now);
            t.applyHost(t.hostSettings().withKeepOutside(keepOutside(now)));
        }
        events.info("The server's endpoint " + ep + " is now " + IpAddresses.format(now.getAddress()) + ":"
                + now.getPort());
        link.endpointMoved(now);
    }

    /** The address to ask for: the one this connection had (a reconnect keeps it), else the option's. */
    String requestedAddress() {
        ServerConfig c = link.config();
        if (c != null && !c.addresses().isEmpty()) {
            return IpAddresses.format(
                    TunnelSettings.parseAddress(c.addresses().get(0)).address());
        }
        return options.requestedAddress();
    }

    static InetSocketAddress resolve(ServerEndpoint ep) throws ClientException {
        try {
            return ep.resolve();
        } catch (UnknownHostException e) {
            throw new ClientException(Reason.UNREACHABLE, "the server's endpoint " + ep + " does not resolve", e);
        }
    }

    /** The endpoint's address and every address of the control API's host (where the calls go now). */
    List<InetAddress> keepOutside(InetSocketAddress endpointAddress) {
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

    private void sleep(Duration d) throws ClientException {
        try {
            time.sleep(d);
        } catch (InterruptedException e) {
            throw new ClientException(Reason.CANCELLED, "the connection was closed while it was being made", e);
        }
    }
}
