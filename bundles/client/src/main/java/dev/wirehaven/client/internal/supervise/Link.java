package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.ConnectionStatus;
import dev.wirehaven.client.NetworkSettings;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What carries a connection at this moment: the session on the server, the configuration the
 * server gave for it, the gateway that carries the tunnel now and the others that could, the
 * server's WireGuard endpoint, the tunnel device, and what was last learnt
 * about them (the session's phase, the control API's round trip, the policy version in effect).
 * A reconnect replaces parts of it; {@link #status} reads it whole.
 *
 * <p>Everything is volatile: the lane writes, while {@code status()} and the policy long poll read
 * from other threads. Changing the tunnel takes {@link #tunnelLock}, because the policy long poll
 * changes it beside the lane, and {@code close()} takes it away.
 */
final class Link {

    /** Held while the tunnel device or the host network is changed, or the connection decides to close. */
    final Object tunnelLock = new Object();

    private volatile Session session;
    private volatile ServerConfig config;
    private volatile SessionPhase phase;
    private volatile ServerEndpoint endpoint;
    private volatile InetSocketAddress endpointAddress;
    private volatile ClientTunnel tunnel;
    private volatile String gatewayName;
    private volatile List<Gateway> alternatives = List.of();
    private volatile long latencyMillis = -1;
    private volatile long policyVersion;
    private volatile boolean closing;

    /** A session is set up and its tunnel configured: the server's phase and policy version as it said. */
    void established(
            Session s, ServerConfig c, ServerEndpoint ep, InetSocketAddress address, SessionPhase p, long version) {
        session = s;
        config = c;
        endpoint = ep;
        endpointAddress = address;
        phase = p;
        policyVersion = version;
    }

    /**
     * The name of the gateway that carries the tunnel now (after a setup, the host of the endpoint the
     * server config names), and the other gateways of the cluster that hold this session's peer, in
     * the order to try them.
     */
    void gateways(String current, List<Gateway> others) {
        gatewayName = current;
        alternatives = List.copyOf(others);
    }

    /** A policy update named the other gateways anew (nodes joined or left). */
    void alternatives(List<Gateway> others) {
        alternatives = List.copyOf(others);
    }

    String gatewayName() {
        return gatewayName;
    }

    List<Gateway> alternatives() {
        return alternatives;
    }

    /** The tunnel and the control calls moved to {@code g}, whose endpoint is {@code ep} at {@code address}. */
    void movedTo(Gateway g, ServerEndpoint ep, InetSocketAddress address) {
        gatewayName = g.name();
        endpoint = ep;
        endpointAddress = address;
    }

    /** The tunnel and the control calls are back on the server config's gateway, named {@code name}, and the server the client was made for. */
    void movedHome(String name, ServerEndpoint ep, InetSocketAddress address) {
        gatewayName = name;
        endpoint = ep;
        endpointAddress = address;
    }

    /** The session could not be set up, and was ended on the server. */
    void abandoned() {
        session = null;
    }

    Session session() {
        return session;
    }

    ServerConfig config() {
        return config;
    }

    SessionPhase phase() {
        return phase;
    }

    /** The session's phase as the server reported it last. */
    void phase(SessionPhase p) {
        phase = p;
    }

    ServerEndpoint endpoint() {
        return endpoint;
    }

    InetSocketAddress endpointAddress() {
        return endpointAddress;
    }

    /** The server's endpoint name resolves to a new address now. */
    void endpointMoved(InetSocketAddress address) {
        endpointAddress = address;
    }

    /** The device, or {@code null} before the first setup and after the teardown. */
    ClientTunnel tunnel() {
        return tunnel;
    }

    /** Under {@link #tunnelLock}: the device the first setup opened. */
    void tunnelOpened(ClientTunnel t) {
        tunnel = t;
    }

    /** Under {@link #tunnelLock}: takes the device away for the teardown; {@code null} if there is none. */
    ClientTunnel takeTunnel() {
        ClientTunnel t = tunnel;
        tunnel = null;
        return t;
    }

    /** The control API's last round trip in milliseconds, -1 before the first. */
    long latencyMillis() {
        return latencyMillis;
    }

    void measured(long millis) {
        latencyMillis = millis;
    }

    long policyVersion() {
        return policyVersion;
    }

    /** Policy {@code version} was taken in, applied or not (the server learns which from the acknowledgement). */
    void policyTaken(long version) {
        policyVersion = version;
    }

    /** True once {@code close()} or a failure began to end the connection: no further step starts. */
    boolean closing() {
        return closing;
    }

    void markClosing() {
        closing = true;
    }

    /** The connection's status in {@code state}, from what the link holds and the device's counters. */
    ConnectionStatus status(ConnectionState state) {
        ClientTunnel t = tunnel;
        Session s = session;
        ServerConfig c = config;
        PeerSnapshot peer = t == null ? null : t.server().orElse(null);
        NetworkSettings host = t == null ? null : t.hostSettings();
        List<String> addresses = host != null
                ? host.addresses().stream().map(Object::toString).toList()
                : c != null ? c.addresses() : List.of();
        return new ConnectionStatus(
                state,
                s == null ? null : s.id(),
                phase,
                addresses,
                endpointAddress,
                s == null ? null : s.expiresAt(),
                peer == null ? 0 : peer.rxBytes(),
                peer == null ? 0 : peer.txBytes(),
                t == null ? -1 : t.handshakeAgeSeconds(),
                latencyMillis,
                policyVersion);
    }
}
