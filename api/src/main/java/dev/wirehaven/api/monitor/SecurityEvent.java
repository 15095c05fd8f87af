package dev.wirehaven.api.monitor;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that matters for security happened: a failed login, a rate limit, a denied access, a
 * packet from an address the client was not given. Threat detection and alerting sinks act on
 * these; {@link #severity()} says how urgently.
 *
 * @param type what happened, a dotted lower case name such as {@link #AUTH_FAILURE}; not blank
 * @param severity how urgent
 * @param timestamp when it happened
 * @param user the user concerned, or empty when unknown (a failed login's user name is reported
 *        here only as entered, and may not exist)
 * @param source the remote address concerned, or {@code null} when there is none
 * @param detail a short human-readable account; never contains secrets
 */
public record SecurityEvent(
        String type, Severity severity, Instant timestamp, String user, InetAddress source, String detail) {

    /** A credential was rejected. */
    public static final String AUTH_FAILURE = "auth.failure";
    /** Requests from a source were refused because they came too fast. */
    public static final String RATE_LIMITED = "auth.rate-limited";
    /**
     * A login went through a realm's fallback method because the primary's providers were unavailable.
     *
     * @since 1.1
     */
    public static final String AUTH_FALLBACK = "auth.fallback";
    /**
     * A login was refused because the second factor its realm requires has no provider installed:
     * the server does not let the login through on one factor.
     *
     * @since 1.1
     */
    public static final String AUTH_FACTOR_UNAVAILABLE = "auth.factor-unavailable";
    /** A policy engine denied access. */
    public static final String ACCESS_DENIED = "policy.denied";
    /** A client sent from a tunnel address it was not assigned. */
    public static final String SPOOFED_SOURCE = "tunnel.spoofed-source";
    /** The operator's admin credential was rejected (web console, control API). */
    public static final String ADMIN_AUTH_FAILURE = "admin.auth.failure";
    /**
     * A request to the operator's console that did not come from the console's own pages (another
     * site's origin, a foreign Host name) was refused (since 1.2).
     */
    public static final String ADMIN_REQUEST_REFUSED = "admin.request-refused";
    /** A login refused because the user holds the most sessions the server allows (since 1.1). */
    public static final String SESSION_LIMIT = "session.limit";
    /**
     * A client asked for an address, a subnet or a key that belongs to someone else (a static peer or
     * another session), and was refused (since 1.1).
     */
    public static final String OWNERSHIP_CONFLICT = "session.ownership-conflict";

    /**
     * The WireGuard device refused handshake messages from a source over its rate limit, for a source
     * that proved its address with a cookie (since 1.3).
     */
    public static final String HANDSHAKE_RATE_LIMITED = "tunnel.handshake-rate-limited";
    /** A detector found repeated failed logins for one user or from one source (since 1.3). */
    public static final String THREAT_PASSWORD_GUESSING = "threat.password-guessing";
    /** A detector found a source flooding the WireGuard port with handshakes (since 1.3). */
    public static final String THREAT_HANDSHAKE_FLOOD = "threat.handshake-flood";
    /** A detector found a session trying many destinations that the policy denies (since 1.3). */
    public static final String THREAT_TUNNEL_SCAN = "threat.tunnel-scan";
    /** A detector found a user's traffic far above that user's usual volume (since 1.3). */
    public static final String THREAT_TRAFFIC_ANOMALY = "threat.traffic-anomaly";
    /** A detector found one user's sessions coming from several places at once (since 1.3). */
    public static final String THREAT_CONCURRENT_LOCATIONS = "threat.concurrent-locations";
    /** A security response was carried out (see {@code dev.wirehaven.api.response}; since 1.3). */
    public static final String RESPONSE_APPLIED = "response.applied";
    /** A security response was not carried out: its target is on the allow-list (since 1.3). */
    public static final String RESPONSE_REFUSED = "response.refused";
    /** A lasting security response ended: it expired or an operator undid it (since 1.3). */
    public static final String RESPONSE_ENDED = "response.ended";
    /** A performance threshold was crossed (since 1.3). */
    public static final String ALERT_RAISED = "alert.raised";
    /** A performance threshold that had been crossed is back on the good side of its clear level (since 1.3). */
    public static final String ALERT_CLEARED = "alert.cleared";

    /** Rejects missing parts. */
    public SecurityEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(detail, "detail");
        if (type.isBlank()) {
            throw new IllegalArgumentException("the event type is blank");
        }
    }
}
