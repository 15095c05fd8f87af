package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.wireguard.Key;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Moves a connection whose gateway was lost to another gateway of the cluster without a new login.
 * Every node holds the peer of every session and accepts its token, so only the client's side changes:
 * its WireGuard peer gets the next gateway's public key and endpoint (its private key, addresses,
 * preshared key, allowed IPs and keepalive stay, see {@link ClientTunnel#replaceServer}), the gateway's
 * addresses stay outside the tunnel, and once a handshake with it completes within
 * {@link #HANDSHAKE_WAIT} the connection's control calls go to its control URL, with the same session id
 * and token. The gateways are tried in the order the server gave; one that does not answer is skipped.
 *
 * <p>When none answers, {@link #returnHome()} puts the tunnel and the calls back on the server the client
 * was made for, and the {@link Recovery} carries on as on a single node (resume, or a new session). The
 * client never moves back by itself: a later policy update replaces the list of gateways to try next
 * time, but does not move the tunnel.
 *
 * <p>Lane only.
 */
final class Failover {

    /**
     * How long a gateway may take to complete the handshake: a round trip and a few milliseconds of crypto
     * on a good path; WireGuard itself retries an initiation after 5 s (REKEY_TIMEOUT), so a longer wait would
     * only wait for that retry while the tunnel carries nothing.
     */
    static final Duration HANDSHAKE_WAIT = Duration.ofSeconds(2);

    private static final Duration POLL = Duration.ofMillis(10);

    private final ControlClient control;
    private final Link link;
    private final Events events;
    private final Timebase time;

    Failover(ControlClient control, Link link, Events events, Timebase time) {
        this.control = control;
        this.link = link;
        this.events = events;
        this.time = time;
    }

    /**
     * Tries the other gateways in order: true when the tunnel and the control calls moved to one, false
     * when none answered (the tunnel then points at the last one tried: {@link #returnHome()} next).
     */
    boolean moveOn() throws InterruptedException {
        ClientTunnel t = link.tunnel();
        if (t == null) {
            return false;
        }
        Key from = t.serverKey();
        List<Gateway> candidates = new ArrayList<>();
        for (Gateway g : link.alternatives()) {
            if (!Key.fromBase64(g.publicKey()).equals(from)) {
                candidates.add(g);
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        String fromName = link.gatewayName();
        ServerEndpoint fromEndpoint = link.endpoint();
        long start = time.nanoTime();
        for (Gateway g : candidates) {
            ServerEndpoint ep = ServerEndpoint.parse(g.endpoint()); // checked when the list came in
            InetSocketAddress address;
            try {
                address = ep.resolve();
                synchronized (link.tunnelLock) {
                    if (link.closing()) {
                        return false;
                    }
                    t.replaceServer(Key.fromBase64(g.publicKey()), address);
                    t.applyHost(t.hostSettings().withKeepOutside(keepOutside(t, address, URI.create(g.controlUrl()))));
                    t.kickHandshake();
                }
            } catch (UnknownHostException e) {
                events.warning("Gateway " + g.name() + ": its endpoint " + ep + " does not resolve");
                continue;
            } catch (IOException e) {
                events.warning("Gateway " + g.name() + ": the tunnel could not be pointed at it: " + e.getMessage());
                continue;
            }
            if (awaitHandshake(t)) {
                control.moveTo(URI.create(g.controlUrl()));
                link.movedTo(g, ep, address);
                events.info("Moved from gateway " + fromName + " (" + fromEndpoint + ") to " + g.name() + " (" + ep
                        + ") after " + (time.nanoTime() - start) / 1_000_000 + " ms without a new login");
                return true;
            }
            events.warning("Gateway " + g.name() + " (" + ep + ") did not answer a handshake within "
                    + HANDSHAKE_WAIT.toMillis() + " ms");
        }
        return false;
    }

    /**
     * Points the tunnel at the gateway the server config gave and the control calls at the server the
     * client was made for, for the single-node recovery (the config's gateway may be another node than
     * the one the client logged in through, and either may be the one that failed).
     */
    void returnHome() throws IOException {
        ClientTunnel t = link.tunnel();
        ServerConfig c = link.config();
        if (t == null || c == null) {
            return;
        }
        Key home = Key.fromBase64(c.serverPublicKey());
        if (home.equals(t.serverKey())) {
            // the tunnel never moved; the single-node recovery asks the server the client was made for
            control.moveHome();
            return;
        }
        ServerEndpoint ep = ServerEndpoint.parse(c.endpoint());
        InetSocketAddress address = SetupFlow.resolve(ep);
        synchronized (link.tunnelLock) {
            if (link.closing()) {
                return;
            }
            t.replaceServer(home, address);
        }
        control.moveHome();
        link.movedHome(ep.host(), ep, address);
        events.info("No other gateway answered; back to " + ep + " and the control API " + control.home()
                + ", to reconnect as a single server");
    }

    private boolean awaitHandshake(ClientTunnel t) throws InterruptedException {
        long deadline = time.nanoTime() + HANDSHAKE_WAIT.toNanos();
        while (time.nanoTime() - deadline < 0) {
            if (t.handshakeAgeSeconds() >= 0) {
                return true;
            }
            time.sleep(POLL);
        }
        return t.handshakeAgeSeconds() >= 0;
    }

    /** What stays outside the tunnel: what did, the gateway's endpoint and its control API's addresses. */
    private static List<InetAddress> keepOutside(ClientTunnel t, InetSocketAddress endpoint, URI controlUrl) {
        LinkedHashSet<InetAddress> all = new LinkedHashSet<>(t.hostSettings().keepOutside());
        all.add(endpoint.getAddress());
        String host = controlUrl.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            all.addAll(List.of(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            // its calls then fail and say so; the tunnel need not wait for a name
        }
        return List.copyOf(all);
    }
}
