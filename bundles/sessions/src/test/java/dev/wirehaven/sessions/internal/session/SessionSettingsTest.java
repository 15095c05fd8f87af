package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {

    private static final String FILE = "file:/opt/wirehaven/etc/dev.wirehaven.server.sessions.cfg";

    @Test
    void theDefaultsServeWg0WithASplitTunnelOverTheIpv4Pool() {
        SessionSettings s = SessionSettings.defaults();

        assertEquals("wg0", s.interfaceName());
        assertEquals(IpPrefix.parse("10.8.0.0/24"), s.subnetV4());
        assertNull(s.subnetV6());
        assertNull(s.endpoint());
        assertEquals(List.of(), s.dns());
        assertEquals(1420, s.mtu());
        assertEquals(List.of(IpPrefix.parse("10.8.0.0/24")), s.routes());
        assertEquals(25, s.keepalive());
        assertEquals(Duration.ofHours(12), s.sessionLifetime());
        assertEquals(Duration.ofMinutes(2), s.challengeTimeout());
        assertEquals(Duration.ofMinutes(2), s.setupTimeout());
        assertEquals(Duration.ofMinutes(15), s.idleTimeout());
        assertEquals(Duration.ofSeconds(5), s.reaperInterval());
        assertEquals(List.of(), s.advertisable());
        assertEquals(
                new LoginLimits(5, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)), s.limits());
    }

    @Test
    void valuesAreReadAsOperatorsWriteThemInCfgFiles() {
        SessionSettings s = SessionSettings.from(Map.of(
                "subnet.v6",
                "fd00:8::/64",
                "endpoint",
                "[2001:db8::1]:51820",
                "dns",
                "10.8.0.1, corp.example",
                "routes",
                new String[] {"0.0.0.0/0", "::/0"},
                "session.lifetime",
                "PT8H",
                "idle.timeout",
                "900",
                "mtu",
                "1380",
                "keepalive",
                0));

        assertEquals(IpPrefix.parse("fd00:8::/64"), s.subnetV6());
        assertEquals("[2001:db8::1]:51820", s.endpoint().toString());
        assertEquals(List.of("10.8.0.1", "corp.example"), s.dns());
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), s.routes());
        assertEquals(Duration.ofHours(8), s.sessionLifetime());
        assertEquals(Duration.ofSeconds(900), s.idleTimeout());
        assertEquals(1380, s.mtu());
        assertEquals(0, s.keepalive());
    }

    @Test
    void aSubnetWithHostBitsIsRefusedNamingTheFileTheKeyAndTheFix() {
        String message = refused("subnet.v4", "10.8.0.1/24");

        assertEquals(
                "configuration dev.wirehaven.server.sessions (file /opt/wirehaven/etc/dev.wirehaven.server."
                        + "sessions.cfg): subnet.v4 entry '10.8.0.1/24' is not a network prefix (host bits are set); write the"
                        + " network address, 10.8.0.0/24",
                message);
    }

    @Test
    void everyKindOfBadValueIsRefusedWithItsKey() {
        assertTrue(refused("routes", "10.0.0.0/24, intranet").contains("routes entry 'intranet' is not an IP prefix"));
        assertTrue(refused("idle.timeout", "-5m").contains("idle.timeout '-5m' is negative"));
        assertTrue(refused("idle.timeout", "PT-5M").contains("idle.timeout 'PT-5M' is negative"));
        assertTrue(refused("reaper.interval", "soon").contains("reaper.interval 'soon' is not a duration"));
        assertTrue(refused("reaper.interval", "0s").contains("reaper.interval '0s' is zero"));
        assertTrue(refused("mtu", "1000").contains("mtu 1000 is out of range"));
        assertTrue(refused("mtu", "big").contains("mtu 'big' is not a whole number"));
        assertTrue(refused("subnet.v4", "fd00::/64").contains("is not an IPv4 prefix"));
        assertTrue(refused("subnet.v4", "10.8.0.0/31").contains("is too small for a pool"));
        assertTrue(refused("subnet.v6", "10.9.0.0/24").contains("is not an IPv6 prefix"));
        assertTrue(refused("endpoint", "vpn.example.com:99999")
                .contains("endpoint 'vpn.example.com:99999' is not host:port"));
        assertTrue(refused("dns", "10.8.0.1, bad_domain!").contains("dns entry 'bad_domain!'"));
        assertTrue(refused("interface", "wg0; rm -rf").contains("is not an interface name"));
        assertTrue(refused("auth.lockout.max", "10s").contains("shorter than auth.lockout 30s"));
    }

    @Test
    void durationsTakeTheShortFormsAndIso8601() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(42), Durations.parse("42"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("PT15M"));
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    }

    /** Found by SessionSettingsFuzzTest (its inputs duration-*, lockout-beyond-long-millis). */
    @Test
    void iso8601DurationsBeyondOrBelowWholeMillisecondsAreRefusedWithTheirKey() {
        // toMillis() overflowed: an ArithmeticException out of from() instead of the ERROR line naming the key
        assertTrue(refused("auth.lockout", "PT2562047788015215H")
                .contains("auth.lockout 'PT2562047788015215H' is longer"));
        // accepted, then the reaper's scheduling overflowed, or got a period of 0 ms, at activation
        assertTrue(refused("reaper.interval", "PT2562047788015215H").contains("reaper.interval"));
        assertTrue(refused("reaper.interval", "PT0.0000001S")
                .contains("reaper.interval 'PT0.0000001S' has a part smaller than a millisecond"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("PT1.5S"));
    }

    @Test
    void onlyRoutesDnsAndKeepaliveMakeANewPolicyAndOnlyTheInterfaceAndPoolsARestart() {
        SessionSettings base = SessionSettings.defaults();

        assertTrue(SessionSettings.from(Map.of("dns", "1.1.1.1")).policyDiffers(base));
        assertTrue(SessionSettings.from(Map.of("keepalive", "0")).policyDiffers(base));
        assertTrue(!SessionSettings.from(Map.of("idle.timeout", "1h")).policyDiffers(base));
        assertTrue(SessionSettings.from(Map.of("subnet.v4", "10.9.0.0/24")).structureDiffers(base));
        assertTrue(!SessionSettings.from(Map.of("mtu", "1380")).structureDiffers(base));
    }

    @Test
    void theLimitsOnAbuseAndTheRetentionsHaveDefaultsAndAreReadFromCfgFiles() {
        SessionSettings d = SessionSettings.defaults();
        assertEquals(new RequestLimits(60, 20, 4096, 64), d.requests());
        assertEquals(Duration.ofSeconds(1), d.requests().interval());
        assertEquals(new VerificationLimits(8, 32), d.verification());
        assertEquals(Duration.ofDays(7), d.sessionRetention());
        assertEquals(Duration.ofDays(30), d.eventLogRetention());
        assertEquals(Duration.ofSeconds(10), d.bodyTimeout());

        SessionSettings s = SessionSettings.from(Map.of(
                "request.rate",
                "6",
                "request.burst",
                "3",
                "pending.max",
                "100",
                "pending.max.source",
                "10",
                "auth.verify.concurrent",
                "2",
                "auth.verify.queue",
                "0",
                "session.retention",
                "1d",
                "eventlog.retention",
                "90d",
                "api.body.timeout",
                "5s"));
        assertEquals(new RequestLimits(6, 3, 100, 10), s.requests());
        assertEquals(Duration.ofSeconds(10), s.requests().interval());
        assertEquals(new VerificationLimits(2, 0), s.verification());
        assertEquals(Duration.ofDays(1), s.sessionRetention());
        assertEquals(Duration.ofDays(90), s.eventLogRetention());
        assertEquals(Duration.ofSeconds(5), s.bodyTimeout());

        assertTrue(refused("request.rate", "0").contains("request.rate 0 is out of range"));
        assertTrue(refused("pending.max.source", "many").contains("pending.max.source 'many' is not a whole number"));
        assertTrue(refused("auth.verify.queue", "-1").contains("auth.verify.queue -1 is out of range"));
        assertTrue(refused("eventlog.retention", "0d").contains("eventlog.retention '0d' is zero"));
        assertTrue(refused("api.body.timeout", "soon").contains("api.body.timeout 'soon' is not a duration"));
    }

    private static String refused(String key, Object value) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", SessionSettings.PID);
        props.put("felix.fileinstall.filename", FILE);
        props.put(key, value);
        return assertThrows(SessionConfigException.class, () -> SessionSettings.from(props))
                .getMessage();
    }
}
