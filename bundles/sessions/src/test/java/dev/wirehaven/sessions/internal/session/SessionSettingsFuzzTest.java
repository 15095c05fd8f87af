package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;

/**
 * The session configuration reader on any {@code etc/dev.wirehaven.server.sessions.cfg}: the file is
 * read as FileInstall reads it (its own {@link TypedProperties}, ISO-8859-1), and
 * {@link SessionSettings#from} gives either settings that the session layer can run with, or a
 * {@link SessionConfigException} that names the file and one of the keys; nothing else.
 *
 * <p>"Can run with" is checked where the runtime relies on it: the interface name is one the interface
 * bundle accepts, the pools are of their family and large enough, the MTU and keepalive are in range,
 * clients get at least one route, and every duration is positive and a whole number of milliseconds
 * that fits a {@code long} (the reaper schedules with {@link Duration#toMillis()}, messages print
 * durations with it).
 *
 * <p>Regression mode runs {@code SessionSettingsFuzzTestInputs/read}: the shipped file, the shipped
 * file with every key uncommented, and the values of {@code SessionSettingsTest}.
 */
class SessionSettingsFuzzTest {

    private static final String FILE = "file:/opt/wirehaven/etc/dev.wirehaven.server.sessions.cfg";

    private static final Set<String> KEYS = Set.of(
            SessionSettings.INTERFACE,
            SessionSettings.SUBNET_V4,
            SessionSettings.SUBNET_V6,
            SessionSettings.ENDPOINT,
            SessionSettings.DNS,
            SessionSettings.MTU,
            SessionSettings.ROUTES,
            SessionSettings.KEEPALIVE,
            SessionSettings.SESSION_LIFETIME,
            SessionSettings.CHALLENGE_TIMEOUT,
            SessionSettings.SETUP_TIMEOUT,
            SessionSettings.IDLE_TIMEOUT,
            SessionSettings.REAPER_INTERVAL,
            SessionSettings.ADVERTISABLE,
            SessionSettings.AUTH_FAILURES,
            SessionSettings.AUTH_WINDOW,
            SessionSettings.AUTH_LOCKOUT,
            SessionSettings.AUTH_LOCKOUT_MAX,
            SessionSettings.REQUEST_RATE,
            SessionSettings.REQUEST_BURST,
            SessionSettings.PENDING_MAX,
            SessionSettings.PENDING_MAX_SOURCE,
            SessionSettings.VERIFY_CONCURRENT,
            SessionSettings.VERIFY_QUEUE,
            SessionSettings.SESSION_RETENTION,
            SessionSettings.EVENTLOG_RETENTION,
            SessionSettings.BODY_TIMEOUT,
            SessionSettings.ACCESS_ENFORCEMENT,
            SessionSettings.USER_SESSIONS_MAX,
            SessionSettings.GRANT_LIFETIME);

    @FuzzTest(maxDuration = "5m")
    void read(byte[] input) {
        Map<String, Object> properties = cfgFile(input);
        if (properties == null) {
            return;
        }
        String origin = ConfigurationOrigin.of(properties).describe();
        SessionSettings settings;
        try {
            settings = SessionSettings.from(properties);
        } catch (SessionConfigException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(origin + ": "), message);
            String rest = message.substring(origin.length() + 2);
            assertTrue(KEYS.stream().anyMatch(k -> rest.startsWith(k + " ")), () -> "names no key: " + message);
            return;
        }
        assertNotNull(settings);
        assertTrue(settings.interfaceName().matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}"), settings.interfaceName());
        assertTrue(settings.subnetV4().isIpv4() && settings.subnetV4().prefixLength() <= 30, "subnet.v4");
        IpPrefix v6 = settings.subnetV6();
        assertTrue(v6 == null || (!v6.isIpv4() && v6.prefixLength() <= 126), "subnet.v6");
        assertTrue(settings.mtu() >= 1280 && settings.mtu() <= 65535, "mtu");
        assertTrue(settings.keepalive() >= 0 && settings.keepalive() <= 65535, "keepalive");
        assertFalse(settings.routes().isEmpty(), "clients get at least one route");
        List<Duration> durations = List.of(
                settings.sessionLifetime(),
                settings.challengeTimeout(),
                settings.setupTimeout(),
                settings.idleTimeout(),
                settings.reaperInterval(),
                settings.limits().window(),
                settings.limits().firstLockout(),
                settings.limits().maxLockout(),
                settings.sessionRetention(),
                settings.eventLogRetention(),
                settings.bodyTimeout(),
                settings.access().grantLifetime());
        for (Duration d : durations) {
            assertTrue(d.toMillis() >= 1, () -> d + " is shorter than a millisecond");
            assertTrue(d.getNano() % 1_000_000 == 0, () -> d + " is not a whole number of milliseconds");
            assertNotNull(Durations.format(d));
        }
    }

    /**
     * The file's properties as FileInstall hands them to Configuration Admin, with the PID and file it
     * adds; {@code null} for a file that FileInstall itself cannot read (it then updates nothing, so
     * the reader never sees it).
     */
    static Map<String, Object> cfgFile(byte[] input) {
        TypedProperties typed = new TypedProperties((name, key, value) -> "<substituted " + value + ">");
        Map<String, Object> properties;
        try {
            typed.load(new StringReader(new String(input, StandardCharsets.ISO_8859_1)));
            // typed values (I"25", [ ... ]) are converted as they are read out, which can fail too
            properties = new HashMap<>(typed);
        } catch (IOException | RuntimeException fileInstallRefusesIt) {
            return null;
        }
        properties.put("service.pid", SessionSettings.PID);
        properties.put(ConfigurationOrigin.FILEINSTALL_FILENAME, FILE);
        return properties;
    }
}
