package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.client.internal.tunnel.ServerSettingsCheck;
import dev.wirehaven.client.internal.tunnel.TunnelSettings;
import dev.wirehaven.wireguard.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the server's policy while the connection is active: a long poll for the next version,
 * each update applied to the device (allowed IPs, keepalive), the host (routes, DNS) and the list of
 * other gateways a failover may move to (it replaces the list; it never moves the tunnel), then
 * acknowledged as applied or not with the reason, so that the server's operators see a policy
 * the client could not take.
 *
 * <p>It runs beside the lane, asynchronously: a long poll that waits most of a minute must not hold
 * up the status reports. Each activation starts a generation of polls; a loss or the close starts a
 * new generation, and a poll of an old one ends quietly where it is.
 */
final class PolicyFollower {

    /** After a failed poll: a real loss is the status report's to detect; here only wait and ask again. */
    private static final Duration POLL_RETRY = Duration.ofSeconds(5);
    /** The acknowledgement's detail is for a person; an exception's message can be long. */
    private static final int MAX_ACK_DETAIL = 1000;

    private final ControlClient control;
    private final ConnectOptions options;
    private final Link link;
    private final Reauthentication reauthentication;
    private final Events events;
    private final Executor workers;
    private final Timebase time;
    private final AtomicLong generation = new AtomicLong();

    PolicyFollower(
            ControlClient control,
            ConnectOptions options,
            Link link,
            Reauthentication reauthentication,
            Events events,
            Executor workers,
            Timebase time) {
        this.control = control;
        this.options = options;
        this.link = link;
        this.reauthentication = reauthentication;
        this.events = events;
        this.workers = workers;
        this.time = time;
    }

    /** Starts polling for the active session. */
    void start() {
        long g = generation.incrementAndGet();
        workers.execute(() -> poll(g));
    }

    /** Stops the polls of the current generation (lost or closing). */
    void stop() {
        generation.incrementAndGet();
    }

    private boolean stale(long g) {
        return link.closing() || g != generation.get();
    }

    private void poll(long g) {
        Session s = link.session();
        if (s == null || stale(g)) {
            return;
        }
        control.pollPolicy(s.id(), s.token(), link.policyVersion(), options.policyWait())
                .whenCompleteAsync(
                        (update, failed) -> {
                            if (stale(g)) {
                                return; // a reconnect or the close took over; it starts its own poll
                            }
                            if (failed != null) {
                                time.schedule(POLL_RETRY, () -> workers.execute(() -> poll(g)));
                                return;
                            }
                            update.ifPresent(u -> apply(s, u));
                            poll(g);
                        },
                        workers);
    }

    private void apply(Session s, PolicyUpdate u) {
        boolean applied;
        String detail = "";
        synchronized (link.tunnelLock) {
            ClientTunnel t = link.tunnel();
            if (link.closing() || t == null) {
                return;
            }
            try {
                // checked first: a refused list leaves everything of this update unapplied
                List<Gateway> gateways = ServerSettingsCheck.gateways(u.gateways());
                List<Cidr> routes = TunnelSettings.routes(
                        u.routes(),
                        link.config().subnets(),
                        TunnelSettings.own(t.hostSettings().addresses()));
                List<InetAddress> servers = new ArrayList<>();
                List<String> domains = new ArrayList<>();
                TunnelSettings.splitDns(u.dns(), servers, domains);
                t.updateServer(routes, u.persistentKeepalive());
                t.applyHost(t.hostSettings().withRoutes(routes).withDns(servers, domains));
                if (u.reauthenticateBy() != null) {
                    reauthentication.requireBy(u.reauthenticateBy());
                }
                link.alternatives(gateways);
                applied = true;
                events.info("Policy " + u.version() + " applied: routes " + routes + ", DNS " + u.dns() + ", keepalive "
                        + u.persistentKeepalive() + " s"
                        + (gateways.isEmpty()
                                ? ""
                                : ", other gateways "
                                        + gateways.stream().map(Gateway::name).toList()));
            } catch (IOException | RuntimeException e) {
                applied = false;
                detail = String.valueOf(e.getMessage());
                if (detail.length() > MAX_ACK_DETAIL) {
                    detail = detail.substring(0, MAX_ACK_DETAIL);
                }
                events.warning("Policy " + u.version() + " could not be applied: " + detail);
            }
            link.policyTaken(u.version());
        }
        try {
            control.acknowledge(s.id(), s.token(), new PolicyAck(u.version(), applied, detail));
        } catch (IOException e) {
            events.warning("Could not acknowledge policy " + u.version() + ": " + e.getMessage());
        }
    }
}
