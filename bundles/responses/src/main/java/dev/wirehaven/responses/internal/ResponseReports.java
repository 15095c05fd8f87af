package dev.wirehaven.responses.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import java.net.InetAddress;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the audit trail and the log about each step of a response: one security event through the
 * server's {@link SecurityEvents} (so that every sink, the audit log first, records it) and one INFO
 * line. A block of one address names it as the event's source, a response to a user names the user.
 */
final class ResponseReports {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseReports.class);

    private final SecurityEvents events;

    ResponseReports(SecurityEvents events) {
        this.events = events;
    }

    /** Carried out, or extended: response.applied, HIGH for a disabled user (an account is shut out). */
    void applied(SecurityResponse r, Instant at) {
        Severity severity = r.action() == ResponseAction.DISABLE_USER ? Severity.HIGH : Severity.MEDIUM;
        report(SecurityEvent.RESPONSE_APPLIED, severity, r, at, "applied");
    }

    /** Not carried out: response.refused, with the reason in the note. */
    void refused(SecurityResponse r, Instant at) {
        report(SecurityEvent.RESPONSE_REFUSED, Severity.LOW, r, at, "refused");
    }

    /** A lasting response ended: response.ended, {@code how} being "expired" or "undone by ...". */
    void ended(SecurityResponse r, Instant at, String how) {
        report(SecurityEvent.RESPONSE_ENDED, Severity.INFO, r, at, how);
    }

    private void report(String type, Severity severity, SecurityResponse r, Instant at, String step) {
        String detail = "response " + r.id() + " " + step + ": " + r.action() + " " + r.target()
                + (r.action().isLasting() && r.isActive() ? " until " + r.expires() : "")
                + "; reason: " + r.reason() + "; requested by " + r.requestedBy()
                + (r.note().isEmpty() ? "" : "; " + r.note());
        LOG.info("Security {}", Text.printable(detail));
        try {
            events.report(new SecurityEvent(type, severity, at, userOf(r), sourceOf(r), detail));
        } catch (RuntimeException e) {
            // the response itself stands: the audit trail's trouble must not undo or hide it
            LOG.warn("The {} event of response {} was not reported: {}", type, r.id(), e.toString());
        }
    }

    private static String userOf(SecurityResponse r) {
        return switch (r.action()) {
            case DISABLE_USER, REQUIRE_STEP_UP -> r.target();
            default -> "";
        };
    }

    private static InetAddress sourceOf(SecurityResponse r) {
        if (r.action() != ResponseAction.BLOCK_SOURCE) {
            return null;
        }
        try {
            IpPrefix p = IpPrefix.parse(r.target());
            return p.prefixLength() == p.address().getAddress().length * 8 ? p.address() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
