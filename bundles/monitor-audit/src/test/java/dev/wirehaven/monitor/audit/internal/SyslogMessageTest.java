package dev.wirehaven.monitor.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyslogMessageTest {

    @Test
    void theHeaderIsRfc5424WithTheRecordAsMessage() {
        AuditRecord r = new AuditRecord(
                Instant.parse("2026-12-04T03:30:00.5Z"), Severity.HIGH, "auth.failure", "{\"user\":\"a b\"}");
        String m = new String(SyslogMessage.format(r, 10, "gw 1", "wirehaven", 4242), StandardCharsets.UTF_8);
        // facility 10 * 8 + severity 3 (error) = 83; a space in the host name would split the header
        assertEquals("<83>1 2026-12-04T03:30:00.500000Z gw_1 wirehaven 4242 auth.failure - {\"user\":\"a b\"}", m);
    }

    @Test
    void severitiesMapToSyslogsAndHeaderFieldsAreCut() {
        assertEquals(6, SyslogMessage.severity(Severity.INFO));
        assertEquals(2, SyslogMessage.severity(Severity.CRITICAL));
        assertEquals(32, SyslogMessage.field("x".repeat(40), 32).length());
        assertEquals("-", SyslogMessage.field("", 32));
    }

    @Test
    void targetsNameTheirTransportAndTheDefaultPorts() {
        assertEquals(new SyslogTarget("udp", "siem.example", 514), SyslogTarget.parse("udp://siem.example"));
        assertEquals(new SyslogTarget("tcp", "127.0.0.1", 10601), SyslogTarget.parse("tcp://127.0.0.1:10601"));
        assertEquals(6514, SyslogTarget.parse("tls://siem.example").port());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SyslogTarget.parse("http://siem.example"));
        assertTrue(e.getMessage().contains("syslog.target"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyslogTarget.parse("udp://siem.example/x"));
    }
}
