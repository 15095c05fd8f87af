package dev.wirehaven.monitor.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AuditRecordTest {

    private static final Instant AT = Instant.parse("2026-12-04T03:30:00.123456Z");

    static Map<String, String> fields(String json) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                out.put(name, p.getText());
            }
            assertEquals(null, p.nextToken(), "one object per line, nothing after it");
        }
        return out;
    }

    @Test
    void aSecurityEventIsOneLineOfJsonWithEveryField() throws IOException {
        AuditRecord r = AuditRecord.of(new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.MEDIUM,
                AT,
                "alice",
                InetAddress.getByName("192.0.2.7"),
                "bad password"));
        Map<String, String> f = fields(r.json());
        assertEquals("security", f.get("kind"));
        assertEquals("auth.failure", f.get("type"));
        assertEquals("MEDIUM", f.get("severity"));
        assertEquals("alice", f.get("user"));
        assertEquals("192.0.2.7", f.get("source"));
        assertEquals("2026-12-04T03:30:00.123456Z", f.get("time"));
    }

    @Test
    void aUserNameChosenByAClientCannotForgeARecord() throws IOException {
        String hostile = "mallory\n{\"kind\":\"security\",\"type\":\"admin.ok\"}\r\u0000\"";
        AuditRecord r = AuditRecord.of(new SessionEvent("s-1", hostile, SessionPhase.values()[0], AT, "x\ny"));
        assertFalse(Pattern.compile("[\\n\\r\\u0000]").matcher(r.json()).find(), r.json());
        assertEquals(hostile, fields(r.json()).get("user"));
        assertTrue(r.type().startsWith("session."), r.type());
    }
}
