package dev.wirehaven.monitor.audit.internal;

import dev.wirehaven.api.monitor.Severity;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An audit record as an RFC 5424 syslog message:
 * {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}, with the record's JSON as MSG (plain
 * UTF-8 without a BOM, so that a SIEM can parse it as JSON) and its type as MSGID. The header fields
 * are printable US-ASCII without spaces, each cut to the length the RFC allows.
 */
final class SyslogMessage {

    /** RFC 5424 facility 10, security/authorization messages (private): where auth logs go. */
    static final int DEFAULT_FACILITY = 10;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SyslogMessage() {}

    static byte[] format(AuditRecord record, int facility, String hostname, String appName, long pid) {
        int pri = facility * 8 + severity(record.severity());
        String header = "<" + pri + ">1 " + TIMESTAMP.format(record.timestamp()) + " " + field(hostname, 255) + " "
                + field(appName, 48) + " " + pid + " " + field(record.type(), 32) + " - ";
        return (header + record.json()).getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5424 section 6.2.1 severities. */
    static int severity(Severity s) {
        return switch (s) {
            case INFO -> 6; // informational
            case LOW -> 5; // notice
            case MEDIUM -> 4; // warning
            case HIGH -> 3; // error
            case CRITICAL -> 2; // critical
        };
    }

    /** PRINTUSASCII (33-126) only, at most {@code max} characters; {@code -} (the NILVALUE) when empty. */
    static String field(String value, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.length() == 0 ? "-" : out.toString();
    }
}
