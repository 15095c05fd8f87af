package dev.wirehaven.example.monitor.webhook.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import java.util.Locale;

/**
 * The request body for one event: a JSON object with the same members for both kinds of event, so a
 * receiver can handle them alike.
 *
 * <pre>
 * {"kind":"security","type":"auth.failure","severity":"MEDIUM","timestamp":"2026-11-25T10:15:30Z",
 *  "user":"alice","source":"198.51.100.7","session":null,"detail":"bad token",
 *  "text":"[MEDIUM] auth.failure user=alice source=198.51.100.7: bad token"}
 * </pre>
 *
 * {@code kind} is {@code security} or {@code session}; a session event's {@code type} is
 * {@code session.} and its phase in lower case, its severity {@code INFO}, its source null. {@code user}
 * is empty when unknown. {@code text} is the same as one line, for chat webhooks that show a text.
 */
final class EventJson {

    private EventJson() {}

    static String of(SecurityEvent e) {
        String source = e.source() == null ? null : e.source().getHostAddress();
        return body("security", e.type(), e.severity(), e.timestamp().toString(), e.user(), source, null, e.detail());
    }

    static String of(SessionEvent e) {
        return body(
                "session", type(e), Severity.INFO, e.timestamp().toString(), e.user(), null, e.sessionId(), e.detail());
    }

    /** A session event's {@code type}: {@code session.active}, {@code session.expired}... */
    static String type(SessionEvent e) {
        return "session." + e.phase().name().toLowerCase(Locale.ROOT);
    }

    private static String body(
            String kind,
            String type,
            Severity severity,
            String timestamp,
            String user,
            String source,
            String session,
            String detail) {
        StringBuilder text =
                new StringBuilder().append('[').append(severity).append("] ").append(type);
        if (!user.isEmpty()) {
            text.append(" user=").append(user);
        }
        if (source != null) {
            text.append(" source=").append(source);
        }
        if (session != null) {
            text.append(" session=").append(session);
        }
        if (!detail.isEmpty()) {
            text.append(": ").append(detail);
        }
        return new JsonObject()
                .member("kind", kind)
                .member("type", type)
                .member("severity", severity.name())
                .member("timestamp", timestamp)
                .member("user", user)
                .member("source", source)
                .member("session", session)
                .member("detail", detail)
                .member("text", text.toString())
                .end();
    }
}
