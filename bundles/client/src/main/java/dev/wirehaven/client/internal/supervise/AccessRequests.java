package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.ResourceGrant;
import dev.wirehaven.api.control.ResourceRequest;
import dev.wirehaven.api.control.ServerConfig;
import dev.wirehaven.client.AccessGrant;
import dev.wirehaven.client.AccessProtocol;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.ConnectionState;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.IpAddresses;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Resources asked for during the session (seed use case 2, {@code POST /api/v1/sessions/{id}/access}):
 * the host resolved to the address the tunnel carries, the request, and when the policy asks for a
 * further factor first ({@code step_up_required}), the step-up ({@link StepUp#answerNow}) and the request
 * once more. A second {@code step_up_required} is not answered again: a server that keeps asking is
 * refusing, and a person would be asked in a loop.
 *
 * <p>Runs in the application's thread, beside the lane: it reads the session and its token as they
 * are at each call, so that a re-authentication meanwhile does not make it fail.
 */
final class AccessRequests {

    /** Resolves a host name; {@link InetAddress#getAllByName} but in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final ControlClient control;
    private final Link link;
    private final StepUp stepUp;
    private final Events events;
    private final Supplier<ConnectionState> state;
    private final Resolver resolver;

    AccessRequests(
            ControlClient control,
            Link link,
            StepUp stepUp,
            Events events,
            Supplier<ConnectionState> state,
            Resolver resolver) {
        this.control = control;
        this.link = link;
        this.stepUp = stepUp;
        this.events = events;
        this.state = state;
        this.resolver = resolver;
    }

    /** The resource {@code protocol host:port}, a further factor answered through {@code authenticator}. */
    AccessGrant request(String host, int port, AccessProtocol protocol, Authenticator authenticator)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        if (host.isBlank()) {
            throw new IllegalArgumentException("no host given");
        }
        if (protocol.hasPorts() ? port < 1 || port > 65535 : port != 0) {
            throw new IllegalArgumentException(
                    protocol.hasPorts()
                            ? "port " + port + " is not in 1..65535"
                            : "icmp has no port: give 0, not " + port);
        }
        Session session = activeSession();
        InetAddress address = resolve(host.strip());
        ResourceRequest request = new ResourceRequest(protocol.wireName(), IpAddresses.format(address), port);
        String what = protocol.wireName() + " " + target(address, port, protocol);
        try {
            return granted(what, control.requestAccess(session.id(), session.token(), request));
        } catch (ControlApiException e) {
            if (!e.stepUpRequired()) {
                throw refused(what, e);
            }
            if (e.error().methods().isEmpty()) {
                throw new ClientException(
                        Reason.DENIED,
                        "access to " + what + " needs a further factor, but the server names none: "
                                + e.error().message(),
                        e);
            }
            stepUp(session, e, what, authenticator);
        }
        try {
            return granted(what, control.requestAccess(session.id(), session.token(), request));
        } catch (ControlApiException e) {
            if (e.stepUpRequired()) {
                throw new ClientException(
                        Reason.DENIED,
                        "access to " + what + " is not granted: the server asks for a further factor again after"
                                + " one was given (" + e.error().message() + ")",
                        e);
            }
            throw refused(what, e);
        }
    }

    private Session activeSession() throws ClientException {
        ConnectionState now = state.get();
        Session session = link.session();
        if (now == ConnectionState.CLOSED || link.closing()) {
            throw new ClientException(Reason.CANCELLED, "the connection is closed: no resource can be asked for");
        }
        if (now != ConnectionState.ACTIVE || session == null) {
            throw new ClientException(
                    Reason.REFUSED, "the connection is " + now + ": ask for the resource again once it is active");
        }
        return session;
    }

    private void stepUp(Session session, ControlApiException asked, String what, Authenticator authenticator)
            throws IOException {
        try {
            stepUp.answerNow(
                    session, asked.error().methods(), asked.error().prompts(), authenticator, "access to " + what);
        } catch (ClientException e) {
            throw new ClientException(
                    e.reason(),
                    "access to " + what + " needs a further factor, which was not given: " + e.getMessage(),
                    e.retryAfter().orElse(null),
                    e);
        }
    }

    private AccessGrant granted(String what, ResourceGrant g) throws ClientException {
        AccessGrant grant;
        try {
            InetAddress destination = literal(g.destination());
            if (destination == null) {
                throw new IllegalArgumentException("destination '" + g.destination() + "' is not an IP address");
            }
            grant = new AccessGrant(AccessProtocol.of(g.protocol()), destination, g.port(), g.until(), g.reason());
        } catch (IllegalArgumentException e) {
            throw new ClientException(
                    Reason.REFUSED,
                    "the server's grant for " + what + " is not valid (" + e.getMessage() + "); is " + control.server()
                            + " a Wirehaven server of a compatible version?",
                    e);
        }
        events.info("Access granted: " + grant);
        return grant;
    }

    private ClientException refused(String what, ControlApiException e) {
        String message = e.error().message();
        if (e.status() == 403) {
            return new ClientException(
                    Reason.DENIED, "access to " + what + " is refused (" + e.code() + "): " + message, e);
        }
        if (e.status() == 429) {
            return new ClientException(
                    Reason.RATE_LIMITED,
                    "too many requests for resources: " + message
                            + e.retryAfter()
                                    .map(d -> " (try again in " + d.toSeconds() + " s)")
                                    .orElse(""),
                    e.retryAfter().orElse(null),
                    e);
        }
        if (e.sessionGone()) {
            return new ClientException(
                    Reason.REFUSED,
                    "the server no longer accepts the session (" + e.status() + " " + e.code() + ": " + message
                            + "); ask for " + what + " again once the connection is back",
                    e);
        }
        if (e.status() == 409) {
            return new ClientException(
                    Reason.REFUSED, "the session cannot ask for resources yet (" + e.code() + "): " + message, e);
        }
        return new ClientException(
                Reason.REFUSED,
                "the server refused the request for " + what + " (" + e.status() + " " + e.code() + "): " + message,
                e);
    }

    /**
     * The address to ask for: a literal as it is; else of the name's addresses the first that the tunnel
     * routes and of a family the tunnel has an address of, else the first.
     */
    private InetAddress resolve(String host) throws UnknownHostException {
        String unbracketed = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = literal(unbracketed);
        if (literal != null) {
            return literal;
        }
        InetAddress[] all;
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException e) {
            UnknownHostException u = new UnknownHostException("the name " + host + " does not resolve"
                    + (e.getMessage() == null || e.getMessage().equals(host) ? "" : " (" + e.getMessage() + ")"));
            u.initCause(e);
            throw u;
        }
        if (all == null || all.length == 0) {
            throw new UnknownHostException("the name " + host + " has no address");
        }
        return choose(List.of(all), routes(), tunnelAddresses());
    }

    /** Of {@code candidates}, the first of a family of {@code tunnelAddresses} within {@code routes}, else the first. */
    static InetAddress choose(List<InetAddress> candidates, List<Cidr> routes, List<InetAddress> tunnelAddresses) {
        for (InetAddress a : candidates) {
            boolean family = tunnelAddresses.stream().anyMatch(t -> sameFamily(t, a));
            if (family && routes.stream().anyMatch(r -> contains(r, a))) {
                return a;
            }
        }
        return candidates.get(0);
    }

    static boolean contains(Cidr prefix, InetAddress a) {
        return sameFamily(prefix.address(), a)
                && new Cidr(a, prefix.prefixLength()).address().equals(prefix.address());
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return a.getAddress().length == b.getAddress().length;
    }

    /** What the tunnel carries: the server peer's allowed IPs, else the server config's routes. */
    private List<Cidr> routes() {
        ClientTunnel t = link.tunnel();
        List<Cidr> allowed =
                t == null ? List.of() : t.server().map(PeerSnapshot::allowedIps).orElse(List.of());
        if (!allowed.isEmpty()) {
            return allowed;
        }
        ServerConfig c = link.config();
        return c == null ? List.of() : TunnelSettings.routes(c.routes(), c.subnets());
    }

    private List<InetAddress> tunnelAddresses() {
        ServerConfig c = link.config();
        List<InetAddress> addresses = new ArrayList<>();
        if (c != null) {
            for (String a : c.addresses()) {
                try {
                    addresses.add(TunnelSettings.parseAddress(a).address());
                } catch (IllegalArgumentException e) {
                    // the setup checked these; an address that does not parse names no family
                }
            }
        }
        return addresses;
    }

    /**
     * {@code text} as an address when it is an IP literal (a dotted quad, or hex digits and colons),
     * else {@code null}: a name, to be resolved. Nothing is looked up here.
     */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.indexOf('/') >= 0) {
            return null;
        }
        try {
            return Cidr.parse(text).address();
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    private static String target(InetAddress address, int port, AccessProtocol protocol) {
        String host = IpAddresses.format(address);
        if (!protocol.hasPorts()) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
