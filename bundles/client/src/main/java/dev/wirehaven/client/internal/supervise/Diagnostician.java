package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerEndpoint;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Finds out why a connection was lost, one finding per layer, each a sentence a person can act on:
 * name resolution of the server, TCP and TLS reach of its control API, UDP reach of its WireGuard
 * endpoint (a handshake attempt), and the age of the last handshake.
 */
final class Diagnostician {

    /** How long one probe (TCP, TLS, handshake) may take. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** How often the UDP probe looks for an answer. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final URI api;
    private final SSLContext ssl;
    private final Timebase time;

    Diagnostician(URI api, SSLContext ssl, Timebase time) {
        this.api = api;
        this.ssl = ssl;
        this.time = time;
    }

    /** Runs every probe; each finding is one line. Interruptible between probes. */
    List<String> diagnose(ServerEndpoint endpoint, ClientTunnel tunnel) throws InterruptedException {
        List<String> findings = new ArrayList<>();
        String apiHost = hostOf(api);
        int apiPort = api.getPort() < 0 ? 443 : api.getPort();
        InetAddress[] apiAddresses = resolve(apiHost, findings);
        if (endpoint != null && !endpoint.host().equalsIgnoreCase(apiHost)) {
            resolve(endpoint.host(), findings);
        }
        checkInterrupt();
        if (apiAddresses.length > 0) {
            findings.add(reachApi(new InetSocketAddress(apiAddresses[0], apiPort), apiHost));
        }
        checkInterrupt();
        if (tunnel != null) {
            findings.add(reachUdp(endpoint, tunnel));
            long age = tunnel.handshakeAgeSeconds();
            findings.add(
                    age < 0
                            ? "Handshake: none has completed with the server since the tunnel came up"
                            : "Handshake: the last one completed " + age + " s ago"
                                    + (age > 180 ? " (WireGuard drops a session after 180 s without one)" : ""));
        }
        return findings;
    }

    private InetAddress[] resolve(String host, List<String> findings) {
        if (isLiteral(host)) {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                findings.add("Name resolution: '" + host + "' is not a valid address");
                return new InetAddress[0];
            }
        }
        long t0 = time.nanoTime();
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            findings.add("Name resolution: " + host + " is "
                    + Arrays.stream(all).map(IpAddresses::format).collect(Collectors.joining(", ")) + " ("
                    + millisSince(t0) + " ms)");
            return all;
        } catch (UnknownHostException e) {
            findings.add("Name resolution: " + host + " does not resolve (" + millisSince(t0) + " ms): check this"
                    + " network's DNS, or connect to the server by its address");
            return new InetAddress[0];
        }
    }

    private String reachApi(InetSocketAddress target, String host) {
        String where = IpAddresses.format(target.getAddress()) + ":" + target.getPort();
        long t0 = time.nanoTime();
        try (Socket tcp = new Socket()) {
            tcp.connect(target, (int) PROBE_TIMEOUT.toMillis());
            long tcpMillis = millisSince(t0);
            tcp.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            long t1 = time.nanoTime();
            try (SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(tcp, host, target.getPort(), false)) {
                tls.startHandshake();
                return "Control API: TCP to " + where + " connected in " + tcpMillis + " ms; TLS with the pinned"
                        + " certificate succeeded in " + millisSince(t1) + " ms";
            } catch (IOException e) {
                return "Control API: TCP to " + where + " connected in " + tcpMillis + " ms, but TLS failed: "
                        + e.getMessage();
            }
        } catch (IOException e) {
            return "Control API: no TCP connection to " + where + " (" + e.getMessage() + " after " + millisSince(t0)
                    + " ms): the server is down, or a firewall or the network is in the way";
        }
    }

    private String reachUdp(ServerEndpoint endpoint, ClientTunnel tunnel) throws InterruptedException {
        PeerSnapshot before = tunnel.server().orElse(null);
        if (before == null) {
            return "UDP: the tunnel has no server peer yet";
        }
        String where = before.endpoint() == null
                ? String.valueOf(endpoint)
                : IpAddresses.format(before.endpoint().getAddress()) + ":"
                        + before.endpoint().getPort();
        try {
            tunnel.kickHandshake();
        } catch (IOException e) {
            return "UDP: could not start a handshake: " + e.getMessage();
        }
        long t0 = time.nanoTime();
        long deadline = t0 + PROBE_TIMEOUT.toNanos();
        PeerSnapshot now = before;
        while (time.nanoTime() - deadline < 0) {
            time.sleep(POLL);
            now = tunnel.server().orElse(before);
            if (now.lastHandshakeEpochNanos() != before.lastHandshakeEpochNanos() || now.rxBytes() > before.rxBytes()) {
                return "UDP: " + where + " answers (" + (now.rxBytes() - before.rxBytes()) + " bytes back within "
                        + millisSince(t0) + " ms)";
            }
        }
        long sent = now.txBytes() - before.txBytes();
        if (sent == 0) {
            return "UDP: nothing could be sent to " + where + ": this host has no route to it (is its network down?)";
        }
        return "UDP: no answer from " + where + " within " + PROBE_TIMEOUT.toSeconds() + " s (" + sent + " bytes of"
                + " handshake sent, none back): UDP to the server is blocked, or its WireGuard interface is down"
                + " or no longer knows this client";
    }

    private static String hostOf(URI uri) {
        String h = uri.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private long millisSince(long t0) {
        return (time.nanoTime() - t0) / 1_000_000;
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
