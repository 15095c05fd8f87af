package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ConnectOptions;
import dev.wirehaven.client.ConnectionEvent.Kind;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.session.Session;
import dev.wirehaven.client.internal.tunnel.ClientTunnel;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * What follows a loss: a diagnosis that says why, one finding per layer, then reconnect attempts
 * with backoff until one succeeds or the credentials are refused. An attempt first tries to carry
 * on with the session the client has (the server may only have been unreachable for a moment, and
 * then nobody is asked for credentials again); when the server no longer knows it, a new session
 * with the same keys asks for the same address. On a cluster the {@link Failover} comes first: while
 * the session lives, another gateway that answers carries it on without any of this.
 *
 * <p>Lane only: its fields need no lock. {@link #sessionGone()} is read by {@code close()} after it
 * has taken the lane.
 */
final class Recovery {

    private final ControlClient control;
    private final ConnectOptions options;
    private final Link link;
    private final SetupFlow setup;
    private final Lane lane;
    private final Events events;
    private final Backoff backoff;
    private final Diagnostician diagnostician;
    private final Failover failover;
    private final Lifecycle lifecycle;
    /** Reconnect attempts since the loss. */
    private int attempt;
    /** The server no longer knows the session, so a reconnect needs a new one (and there is none to end). */
    private volatile boolean sessionGone;

    Recovery(
            ControlClient control,
            ConnectOptions options,
            Link link,
            SetupFlow setup,
            Lane lane,
            Events events,
            Backoff backoff,
            Diagnostician diagnostician,
            Failover failover,
            Lifecycle lifecycle) {
        this.control = control;
        this.options = options;
        this.link = link;
        this.setup = setup;
        this.lane = lane;
        this.events = events;
        this.backoff = backoff;
        this.diagnostician = diagnostician;
        this.failover = failover;
        this.lifecycle = lifecycle;
    }

    /** The connection is active: a later loss starts from the first attempt. */
    void reset() {
        attempt = 0;
        sessionGone = false;
    }

    boolean sessionGone() {
        return sessionGone;
    }

    /**
     * Moves to another gateway when the gateway was unreachable ({@code mayMove}) and one answers; else
     * diagnoses the loss (on the server the client was made for) and schedules the first attempt.
     */
    void begin(boolean gone, boolean mayMove) {
        if (gone) {
            sessionGone = true;
        }
        try {
            if (!gone && mayMove && failover.moveOn()) {
                lifecycle.active();
                return;
            }
            failover.returnHome();
        } catch (InterruptedException e) {
            return; // closing
        } catch (IOException | RuntimeException e) {
            events.warning("Could not return to " + control.home() + ": " + e.getMessage());
        }
        try {
            for (String finding : diagnostician.diagnose(link.endpoint(), link.tunnel())) {
                events.emit(Kind.DIAGNOSIS, finding);
            }
        } catch (InterruptedException e) {
            return; // closing
        }
        attempt = 0;
        lane.schedule(this::reconnect, backoff.delay(0));
    }

    private void reconnect() {
        attempt++;
        try {
            if (!sessionGone && link.session() != null && resume()) {
                return;
            }
            String requested = setup.requestedAddress();
            events.info("Starting a new session with the same keys"
                    + (requested == null ? "" : ", asking for " + requested + " again"));
            setup.establish();
            lifecycle.active();
        } catch (ClientException e) {
            switch (e.reason()) {
                case AUTHENTICATION_FAILED, NO_CREDENTIALS, UNTRUSTED_CERTIFICATE -> lifecycle.failed(e);
                case CANCELLED -> {}
                case RATE_LIMITED -> retry(e.getMessage(), e.retryAfter().orElse(backoff.delay(attempt)));
                default -> retry(e.getMessage(), backoff.delay(attempt));
            }
        } catch (IOException | RuntimeException e) {
            retry(String.valueOf(e.getMessage()), backoff.delay(attempt));
        }
    }

    /**
     * Tries to carry on with the session the client has: true when resumed, or when a retry is
     * scheduled because only the handshake is missing; false when the session is gone.
     */
    private boolean resume() throws IOException {
        Session s = link.session();
        SessionStatus st;
        try {
            st = control.status(s.id(), s.token());
        } catch (ControlApiException e) {
            if (e.sessionGone()) {
                sessionGone = true;
                return false;
            }
            throw e;
        }
        SessionPhase phase = st.phase();
        link.phase(phase);
        if (phase != SessionPhase.ACTIVE && phase != SessionPhase.CONFIGURED) {
            sessionGone = true;
            return false;
        }
        setup.refreshEndpoint();
        ClientTunnel tunnel = link.tunnel();
        long age = tunnel.handshakeAgeSeconds();
        if (age >= 0 && age <= options.handshakeTimeout().toSeconds()) {
            events.info("Reconnected: session " + s.id() + " is still valid; resumed without authenticating again");
            lifecycle.active();
            return true;
        }
        tunnel.kickHandshake();
        retry(
                "the control API answers again, but no handshake with " + link.endpoint() + " has completed yet",
                backoff.delay(attempt));
        return true;
    }

    private void retry(String why, Duration delay) {
        events.emit(
                Kind.RETRYING,
                "Reconnect attempt " + attempt + " failed: " + why + "; next attempt in "
                        + String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0));
        lane.schedule(this::reconnect, delay);
    }
}
