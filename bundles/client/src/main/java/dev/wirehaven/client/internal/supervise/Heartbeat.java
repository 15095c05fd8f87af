package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import dev.wirehaven.wireguard.PeerSnapshot;
import java.io.IOException;
import java.time.Duration;

/**
 * The status report every {@code statusInterval} while the connection is active. It keeps the
 * session alive on the server (which ends idle sessions), tells it the tunnel's counters and the
 * last round trip, measures the next round trip, renews the session when that is due, and is where
 * a loss shows: a failed call, the server no longer knowing the session, or no WireGuard handshake
 * for {@code handshakeTimeout}. Each report schedules the next, so reports never overlap. The answer
 * may ask for a step-up, which {@link StepUp} answers beside the lane. A loss that another part found
 * ({@link GatewayWatch}) ends the reports of this activation by their generation, so that the next
 * activation does not run two chains of reports.
 */
final class Heartbeat {

    /** HTTP 503: the server is up but cannot serve this now (its store is away), and says when to ask again. */
    private static final int UNAVAILABLE = 503;

    private final ControlClient control;
    private final ConnectOptions options;
    private final Link link;
    private final Reauthentication reauthentication;
    private final StepUp stepUp;
    private final Lane lane;
    private final Timebase time;
    private final Lifecycle lifecycle;
    private final Events events;
    /** Lane only: the activation whose reports run; a report of another ends quietly. */
    private long generation;

    Heartbeat(
            ControlClient control,
            ConnectOptions options,
            Link link,
            Reauthentication reauthentication,
            StepUp stepUp,
            Lane lane,
            Timebase time,
            Lifecycle lifecycle,
            Events events) {
        this.control = control;
        this.options = options;
        this.link = link;
        this.reauthentication = reauthentication;
        this.stepUp = stepUp;
        this.lane = lane;
        this.time = time;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    /** Schedules the first report of an active connection. */
    void start() {
        long g = ++generation;
        lane.schedule(() -> beat(g), untilNext());
    }

    /** Ends the reports of this activation (lost or closing). */
    void stop() {
        generation++;
    }

    private void beat(long g) {
        if (g != generation) {
            return;
        }
        try {
            reauthentication.renewIfDue(link.session());
            Session s = link.session();
            ClientTunnel tunnel = link.tunnel();
            PeerSnapshot peer = tunnel.server().orElse(null);
            long age = tunnel.handshakeAgeSeconds();
            StatusReport report = new StatusReport(
                    peer == null ? 0 : peer.rxBytes(), peer == null ? 0 : peer.txBytes(), age, link.latencyMillis());
            long t0 = time.nanoTime();
            SessionStatus st = control.report(s.id(), s.token(), report);
            link.measured((time.nanoTime() - t0) / 1_000_000);
            SessionPhase phase = st.phase();
            link.phase(phase);
            if (phase.isTerminal()) {
                lifecycle.lost("the server reports the session " + phase, true);
            } else if (age > options.handshakeTimeout().toSeconds()) {
                lifecycle.unreachable("no WireGuard handshake with " + link.endpoint() + " for " + age + " s");
            } else {
                stepUp.asked(s, st.stepUp());
                lane.schedule(() -> beat(g), untilNext());
            }
        } catch (ControlApiException e) {
            if (e.stepUpRequired()) {
                // the session lives; a policy wants a further factor before it lets this call through
                stepUp.asked(link.session(), e.error().methods(), e.error().prompts());
                lane.schedule(() -> beat(g), untilNext());
            } else if (e.status() == UNAVAILABLE && tunnelAlive()) {
                // a gateway whose store is away answers 503 while its tunnels carry on: so does this one
                Duration next = untilNext();
                Duration wait =
                        e.retryAfter().filter(d -> d.compareTo(next) > 0).orElse(next);
                events.warning("The server cannot answer the status report now (" + e.status() + " " + e.code()
                        + "); the tunnel carries on; asking again in " + wait.toSeconds() + " s");
                lane.schedule(() -> beat(g), wait);
            } else if (e.sessionGone()) {
                lifecycle.lost(
                        "the server no longer accepts the session (" + e.status() + " " + e.code() + ": "
                                + e.error().message() + ")",
                        true);
            } else {
                lifecycle.lost("the status call failed: " + e.getMessage(), false);
            }
        } catch (ClientException e) {
            if (e.reason() == Reason.UNTRUSTED_CERTIFICATE) {
                lifecycle.failed(e);
            } else if (e.reason() == Reason.UNREACHABLE) {
                lifecycle.unreachable(e.getMessage());
            } else if (e.reason() != Reason.CANCELLED) {
                lifecycle.lost(e.getMessage(), false);
            }
        } catch (IOException | RuntimeException e) {
            lifecycle.lost("the status call failed: " + e.getMessage(), false);
        }
    }

    /** Whether a WireGuard handshake with the gateway is recent enough to call the tunnel up. */
    private boolean tunnelAlive() {
        long age = link.tunnel().handshakeAgeSeconds();
        return age >= 0 && age <= options.handshakeTimeout().toSeconds();
    }

    private Duration untilNext() {
        return reauthentication.untilNextReport(options.statusInterval());
    }
}
