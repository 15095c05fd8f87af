package dev.wirehaven.client.internal.supervise;

import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.internal.session.Authenticator;
import dev.wirehaven.client.internal.session.Session;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Renews the session before it expires, by authenticating again within it: the session, its
 * address and its tunnel stay, only the token and the expiry change. Due at a fifth of the
 * remaining lifetime before the expiry, at least 1 s and at most 10 min ahead: early enough for a
 * second try and for a person to answer a prompt, late enough not to ask for credentials often. A
 * policy update may ask for it sooner ({@code reauthenticateBy}).
 *
 * <p>It runs in the status report's step ({@link Heartbeat}), which comes early when re-authentication
 * falls due before the next report. A person typing a code or approving in a browser holds that step
 * meanwhile, as a typed password always did; the tunnel carries traffic all the while.
 */
final class Reauthentication {

    /** After a failure that may pass (the server or the network), the next try; credentials refused are not retried. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private static final Duration MIN_LEAD = Duration.ofSeconds(1);
    private static final Duration MAX_LEAD = Duration.ofMinutes(10);

    private final Authenticator authenticator;
    private final Events events;
    private final Clock clock;
    /** When to re-authenticate next; {@code null} when not at all (the credentials were refused). */
    private volatile Instant due;

    Reauthentication(Authenticator authenticator, Events events, Clock clock) {
        this.authenticator = authenticator;
        this.events = events;
        this.clock = clock;
    }

    /** A session that expires at {@code expiresAt} was set up: plan its renewal. */
    void plan(Instant expiresAt) {
        due = dueBefore(expiresAt);
    }

    /** The server's policy wants a re-authentication by {@code by}: bring the renewal forward if it is later. */
    void requireBy(Instant by) {
        Instant wanted = dueBefore(by);
        Instant current = due;
        if (current == null || wanted.isBefore(current)) {
            due = wanted;
        }
    }

    /**
     * Until the next status report: the status interval, or less when re-authentication falls due
     * before that, so that a session lifetime shorter than a few intervals is still renewed in time.
     */
    Duration untilNextReport(Duration interval) {
        return nextReport(interval, due, clock.instant());
    }

    static Duration nextReport(Duration interval, Instant due, Instant now) {
        if (due == null) {
            return interval;
        }
        Duration untilDue = Duration.between(now, due);
        return untilDue.isNegative() ? Duration.ZERO : untilDue.compareTo(interval) < 0 ? untilDue : interval;
    }

    /**
     * Renews {@code session} if that is due. A refusal is a warning (the session still lasts until it
     * expires); other failures are tried again after {@link #RETRY}.
     *
     * @throws ClientException when cancelled, or when the server's certificate changed (the connection must end)
     */
    void renewIfDue(Session session) throws IOException {
        Instant when = due;
        if (when == null || session == null || clock.instant().isBefore(when)) {
            return;
        }
        try {
            SessionGrant grant = authenticator.reauthenticate(session);
            session.renew(grant);
            due = dueBefore(grant.expiresAt());
            events.info("Re-authenticated; the session now lasts until " + grant.expiresAt());
        } catch (ClientException e) {
            if (e.reason() == Reason.AUTHENTICATION_FAILED || e.reason() == Reason.NO_CREDENTIALS) {
                due = null;
                events.warning(
                        "Re-authentication failed: " + e.getMessage() + "; the session ends at " + session.expiresAt());
            } else if (e.reason() == Reason.CANCELLED || e.reason() == Reason.UNTRUSTED_CERTIFICATE) {
                throw e;
            } else {
                due = clock.instant().plus(RETRY);
                events.warning("Re-authentication failed (" + e.getMessage() + "); trying again in " + RETRY.toSeconds()
                        + " s");
            }
        }
    }

    /** When to re-authenticate for an expiry at {@code expiresAt}: ahead of it by a fifth of the time left, within bounds. */
    Instant dueBefore(Instant expiresAt) {
        Duration lead = Duration.between(clock.instant(), expiresAt).dividedBy(5);
        if (lead.compareTo(MIN_LEAD) < 0) {
            lead = MIN_LEAD;
        } else if (lead.compareTo(MAX_LEAD) > 0) {
            lead = MAX_LEAD;
        }
        return expiresAt.minus(lead);
    }
}
