package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SessionEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.session.SessionPhase;
import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final Instant T = Instant.parse("2026-11-25T10:15:30Z");

    @Test
    void aSecurityEventCarriesTypeSeverityTimestampUserSourceAndDetail() throws Exception {
        SecurityEvent e = new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.MEDIUM,
                T,
                "alice",
                InetAddress.getByName("198.51.100.7"),
                "bad token");
        assertEquals(
                "{\"kind\":\"security\",\"type\":\"auth.failure\",\"severity\":\"MEDIUM\","
                        + "\"timestamp\":\"2026-11-25T10:15:30Z\",\"user\":\"alice\",\"source\":\"198.51.100.7\","
                        + "\"session\":null,\"detail\":\"bad token\","
                        + "\"text\":\"[MEDIUM] auth.failure user=alice source=198.51.100.7: bad token\"}",
                EventJson.of(e));
    }

    @Test
    void anUnknownUserIsEmptyAndAMissingSourceIsNull() {
        SecurityEvent e = new SecurityEvent(SecurityEvent.THREAT_HANDSHAKE_FLOOD, Severity.HIGH, T, "", null, "");
        assertEquals(
                "{\"kind\":\"security\",\"type\":\"threat.handshake-flood\",\"severity\":\"HIGH\","
                        + "\"timestamp\":\"2026-11-25T10:15:30Z\",\"user\":\"\",\"source\":null,"
                        + "\"session\":null,\"detail\":\"\",\"text\":\"[HIGH] threat.handshake-flood\"}",
                EventJson.of(e));
    }

    @Test
    void aSessionEventHasTheSameMembersWithItsPhaseAsType() {
        SessionEvent e = new SessionEvent("s-17", "bob", SessionPhase.ACTIVE, T, "tunnel 10.0.0.2");
        assertEquals(
                "{\"kind\":\"session\",\"type\":\"session.active\",\"severity\":\"INFO\","
                        + "\"timestamp\":\"2026-11-25T10:15:30Z\",\"user\":\"bob\",\"source\":null,"
                        + "\"session\":\"s-17\",\"detail\":\"tunnel 10.0.0.2\","
                        + "\"text\":\"[INFO] session.active user=bob session=s-17: tunnel 10.0.0.2\"}",
                EventJson.of(e));
    }

    @Test
    void hostileTextInAnEventStaysInsideItsString() {
        SecurityEvent e = new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.MEDIUM,
                T,
                "eve\",\"severity\":\"INFO",
                null,
                "line1\nline2\\\u0007\u202egnp.exe");
        assertEquals(
                "{\"kind\":\"security\",\"type\":\"auth.failure\",\"severity\":\"MEDIUM\","
                        + "\"timestamp\":\"2026-11-25T10:15:30Z\",\"user\":\"eve\\\",\\\"severity\\\":\\\"INFO\","
                        + "\"source\":null,\"session\":null,\"detail\":\"line1\\nline2\\\\\\u0007\\u202egnp.exe\","
                        + "\"text\":\"[MEDIUM] auth.failure user=eve\\\",\\\"severity\\\":\\\"INFO: "
                        + "line1\\nline2\\\\\\u0007\\u202egnp.exe\"}",
                EventJson.of(e));
    }
}
