package dev.wirehaven.monitor.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One audit record: an event as one line of JSON, the form SIEMs and {@code jq} read. Jackson's
 * generator does the escaping, so a user name or detail with quotes, newlines or control characters
 * (which a client chose) stays inside its string and cannot start a forged record.
 *
 * @param timestamp when the event happened
 * @param severity for syslog's severity; session steps are informational
 * @param type the event type ({@code session.<phase>} or the security event's type)
 * @param json the whole record as one line, without the line break
 */
record AuditRecord(Instant timestamp, Severity severity, String type, String json) {

    private static final JsonFactory JSON = new JsonFactory();

    static AuditRecord of(SessionEvent e) {
        String type = "session." + e.phase().name().toLowerCase(java.util.Locale.ROOT);
        return new AuditRecord(e.timestamp(), Severity.INFO, type, line(g -> {
            g.writeStringField("time", e.timestamp().toString());
            g.writeStringField("kind", "session");
            g.writeStringField("type", type);
            g.writeStringField("user", e.user());
            g.writeStringField("session", e.sessionId());
            g.writeStringField("detail", e.detail());
        }));
    }

    static AuditRecord of(SecurityEvent e) {
        return new AuditRecord(e.timestamp(), e.severity(), e.type(), line(g -> {
            g.writeStringField("time", e.timestamp().toString());
            g.writeStringField("kind", "security");
            g.writeStringField("type", e.type());
            g.writeStringField("severity", e.severity().name());
            g.writeStringField("user", e.user());
            if (e.source() != null) {
                g.writeStringField("source", e.source().getHostAddress());
            }
            g.writeStringField("detail", e.detail());
        }));
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String line(Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen on a StringWriter", e);
        }
        return out.toString();
    }
}
