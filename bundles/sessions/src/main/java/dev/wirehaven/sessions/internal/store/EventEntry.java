package dev.wirehaven.sessions.internal.store;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A row of the event log: every step of a session and every security event, kept so that an
 * operator can reconstruct what happened after the monitoring sinks have moved on.
 *
 * @param id the log's sequence number; {@link #UNSAVED} before the entry is appended
 * @param occurredAt when it happened
 * @param kind what happened: {@code session.<phase>} or a {@link SecurityEvent} type
 * @param severity the {@link dev.wirehaven.api.monitor.Severity} name, or null for session steps
 * @param user the user concerned, or null
 * @param sessionId the session concerned, or null
 * @param source the client's address, or null
 * @param detail a sentence for the operator
 */
public record EventEntry(
        long id,
        Instant occurredAt,
        String kind,
        String severity,
        String user,
        String sessionId,
        String source,
        String detail) {

    public static final long UNSAVED = 0;
    /** The longest detail the column holds; longer text is cut, never refused: the log must not lose the event. */
    static final int MAX_DETAIL = 2000;

    public EventEntry {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 1) + "…";
        }
    }

    /** A session's step, for the log. */
    public static EventEntry of(SessionEvent event) {
        return new EventEntry(
                UNSAVED,
                event.timestamp(),
                "session." + event.phase().name().toLowerCase(java.util.Locale.ROOT),
                null,
                event.user(),
                event.sessionId(),
                null,
                event.detail());
    }

    /** A security event, for the log. */
    public static EventEntry of(SecurityEvent event) {
        return new EventEntry(
                UNSAVED,
                event.timestamp(),
                event.type(),
                event.severity().name(),
                event.user(),
                null,
                event.source() == null ? null : event.source().getHostAddress(),
                event.detail());
    }
}
