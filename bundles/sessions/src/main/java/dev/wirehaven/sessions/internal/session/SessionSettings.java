package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.server.support.config.PropertyValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated session configuration (PID {@value #PID}).
 *
 * <p>Read from the raw properties rather than through DS's typed {@link SessionConfig}: a value in a
 * {@code .cfg} file is text, and DS turns text that does not convert into a default or a failure
 * that names neither the key nor the fix. Here the first bad value is refused with a
 * {@link SessionConfigException} that says which key, what is wrong and what to write instead, and
 * nothing of the configuration is used.
 *
 * @param interfaceName the WireGuard interface the sessions' peers go on
 * @param subnetV4 the IPv4 address pool
 * @param subnetV6 the IPv6 address pool, or null for none
 * @param endpoint the configured endpoint, or null to use the API's host name and the listen port
 * @param dns DNS servers and search domains for clients
 * @param mtu the clients' tunnel MTU
 * @param routes what clients route into the tunnel (the subnets when none are configured)
 * @param keepalive the clients' persistent keepalive in seconds
 * @param sessionLifetime how long a token is valid
 * @param challengeTimeout how long a challenge may go unanswered
 * @param setupTimeout how long a session may stay AUTHENTICATED, or CONFIGURED without a handshake
 * @param idleTimeout how long an ACTIVE session may go without a handshake
 * @param reaperInterval how often the reaper runs
 * @param advertisable subnets that clients may advertise when no policy engine has a rule
 * @param limits the limits on failed logins
 * @param requests the limits on connection requests and on sessions waiting for authentication
 * @param verification the limits on credential checks running and waiting
 * @param sessionRetention how long an ended session's row is kept
 * @param eventLogRetention how long an event-log entry is kept
 * @param bodyTimeout how long the control API waits for a request's whole body
 * @param access whether the policy is enforced on traffic, and how many sessions a user may hold
 */
public record SessionSettings(
        String interfaceName,
        IpPrefix subnetV4,
        IpPrefix subnetV6,
        HostPort endpoint,
        List<String> dns,
        int mtu,
        List<IpPrefix> routes,
        int keepalive,
        Duration sessionLifetime,
        Duration challengeTimeout,
        Duration setupTimeout,
        Duration idleTimeout,
        Duration reaperInterval,
        List<IpPrefix> advertisable,
        LoginLimits limits,
        RequestLimits requests,
        VerificationLimits verification,
        Duration sessionRetention,
        Duration eventLogRetention,
        Duration bodyTimeout,
        AccessSettings access) {

    public static final String PID = "dev.wirehaven.server.sessions";

    static final String INTERFACE = "interface";
    static final String SUBNET_V4 = "subnet.v4";
    static final String SUBNET_V6 = "subnet.v6";
    static final String ENDPOINT = "endpoint";
    static final String DNS = "dns";
    static final String MTU = "mtu";
    static final String ROUTES = "routes";
    static final String KEEPALIVE = "keepalive";
    static final String SESSION_LIFETIME = "session.lifetime";
    static final String CHALLENGE_TIMEOUT = "challenge.timeout";
    static final String SETUP_TIMEOUT = "setup.timeout";
    static final String IDLE_TIMEOUT = "idle.timeout";
    static final String REAPER_INTERVAL = "reaper.interval";
    static final String ADVERTISABLE = "routes.advertisable";
    static final String AUTH_FAILURES = "auth.failures";
    static final String AUTH_WINDOW = "auth.window";
    static final String AUTH_LOCKOUT = "auth.lockout";
    static final String AUTH_LOCKOUT_MAX = "auth.lockout.max";
    static final String REQUEST_RATE = "request.rate";
    static final String REQUEST_BURST = "request.burst";
    static final String PENDING_MAX = "pending.max";
    static final String PENDING_MAX_SOURCE = "pending.max.source";
    static final String VERIFY_CONCURRENT = "auth.verify.concurrent";
    static final String VERIFY_QUEUE = "auth.verify.queue";
    static final String SESSION_RETENTION = "session.retention";
    static final String EVENTLOG_RETENTION = "eventlog.retention";
    static final String BODY_TIMEOUT = "api.body.timeout";
    static final String ACCESS_ENFORCEMENT = "access.enforcement";
    static final String USER_SESSIONS_MAX = "user.sessions.max";
    static final String GRANT_LIFETIME = "access.grant.lifetime";

    static final String DEFAULT_INTERFACE = "wg0";
    static final String DEFAULT_SUBNET_V4 = "10.8.0.0/24";
    static final int DEFAULT_MTU = 1420;
    static final int DEFAULT_KEEPALIVE = 25;
    static final int DEFAULT_AUTH_FAILURES = 5;
    static final int DEFAULT_REQUEST_RATE = 60;
    static final int DEFAULT_REQUEST_BURST = 20;
    static final int DEFAULT_PENDING_MAX = 4096;
    static final int DEFAULT_PENDING_MAX_SOURCE = 64;
    static final int DEFAULT_VERIFY_CONCURRENT = 8;
    static final int DEFAULT_VERIFY_QUEUE = 32;
    static final String DEFAULT_SESSION_RETENTION = "7d";
    static final String DEFAULT_EVENTLOG_RETENTION = "30d";
    static final String DEFAULT_BODY_TIMEOUT = "10s";
    static final int DEFAULT_USER_SESSIONS_MAX = 10;

    /** The interface names that {@code internal.wireguard} accepts. */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

    private static final Pattern DOMAIN =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?");

    public SessionSettings {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(subnetV4, "subnetV4");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(sessionRetention, "sessionRetention");
        Objects.requireNonNull(eventLogRetention, "eventLogRetention");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(access, "access");
        dns = List.copyOf(dns);
        routes = List.copyOf(routes);
        advertisable = List.copyOf(advertisable);
    }

    /** The defaults, as without a configuration file. */
    public static SessionSettings defaults() {
        return from(Map.of());
    }

    /**
     * Validates a configuration's properties.
     *
     * @throws SessionConfigException naming the first bad key
     */
    public static SessionSettings from(Map<String, ?> properties) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        Reader r = new Reader(properties, origin);
        String iface = r.text(INTERFACE, DEFAULT_INTERFACE);
        if (!INTERFACE_NAME.matcher(iface).matches()) {
            throw new SessionConfigException(
                    origin,
                    INTERFACE,
                    "'" + iface + "' is not an interface name",
                    "name the WireGuard interface of a dev.wirehaven.wireguard.interface configuration, e.g. wg0");
        }
        IpPrefix v4 = r.subnet(SUBNET_V4, DEFAULT_SUBNET_V4, true, "10.8.0.0/24");
        IpPrefix v6 = r.subnet(SUBNET_V6, "", false, "fd00:8::/64");
        HostPort endpoint = r.endpoint();
        List<String> dns = r.dns();
        int mtu = r.integer(
                MTU,
                DEFAULT_MTU,
                1280,
                65535,
                "set " + MTU + " from 1280 (the IPv6 minimum) to 65535; "
                        + "1420 suits WireGuard over a 1500-byte link");
        List<IpPrefix> routes = r.prefixes(ROUTES);
        if (routes.isEmpty()) {
            routes = v6 == null ? List.of(v4) : List.of(v4, v6);
        }
        int keepalive = r.integer(
                KEEPALIVE,
                DEFAULT_KEEPALIVE,
                0,
                65535,
                "set " + KEEPALIVE + " to seconds from 0 (off) to 65535; 25 keeps NAT mappings open");
        Duration lifetime = r.duration(SESSION_LIFETIME, "12h");
        Duration challenge = r.duration(CHALLENGE_TIMEOUT, "2m");
        Duration setup = r.duration(SETUP_TIMEOUT, "2m");
        Duration idle = r.duration(IDLE_TIMEOUT, "15m");
        Duration reaper = r.duration(REAPER_INTERVAL, "5s");
        List<IpPrefix> advertisable = r.prefixes(ADVERTISABLE);
        int failures = r.integer(
                AUTH_FAILURES,
                DEFAULT_AUTH_FAILURES,
                1,
                1000,
                "set " + AUTH_FAILURES + " to how many failed logins (1 to 1000) lock a user name or address out");
        Duration window = r.duration(AUTH_WINDOW, "15m");
        Duration lockout = r.duration(AUTH_LOCKOUT, "30s");
        Duration maxLockout = r.duration(AUTH_LOCKOUT_MAX, "15m");
        if (maxLockout.compareTo(lockout) < 0) {
            throw new SessionConfigException(
                    origin,
                    AUTH_LOCKOUT_MAX,
                    Durations.format(maxLockout) + " is shorter than " + AUTH_LOCKOUT + " " + Durations.format(lockout),
                    "make the longest lockout at least the first one");
        }
        int rate = r.integer(
                REQUEST_RATE,
                DEFAULT_REQUEST_RATE,
                1,
                1_000_000,
                "set " + REQUEST_RATE
                        + " to the connection requests per minute (1 to 1000000) that one address or IPv6 /64 may send");
        int burst = r.integer(
                REQUEST_BURST,
                DEFAULT_REQUEST_BURST,
                1,
                1_000_000,
                "set " + REQUEST_BURST
                        + " to how many connection requests (1 to 1000000) one address may send at once");
        int pending = r.integer(
                PENDING_MAX,
                DEFAULT_PENDING_MAX,
                1,
                10_000_000,
                "set " + PENDING_MAX + " to how many sessions (1 to 10000000) may wait for authentication at once");
        int pendingPerSource = r.integer(
                PENDING_MAX_SOURCE,
                DEFAULT_PENDING_MAX_SOURCE,
                1,
                10_000_000,
                "set "
                        + PENDING_MAX_SOURCE + " to how many sessions (1 to 10000000) of one address may wait for"
                        + " authentication at once");
        int concurrent = r.integer(
                VERIFY_CONCURRENT,
                DEFAULT_VERIFY_CONCURRENT,
                1,
                10_000,
                "set " + VERIFY_CONCURRENT + " to how many credential checks (1 to 10000) may run at once");
        int queue = r.integer(
                VERIFY_QUEUE,
                DEFAULT_VERIFY_QUEUE,
                0,
                100_000,
                "set " + VERIFY_QUEUE + " to how many credential checks (0 to 100000) may wait for their turn");
        Duration sessionRetention = r.duration(SESSION_RETENTION, DEFAULT_SESSION_RETENTION);
        Duration eventLogRetention = r.duration(EVENTLOG_RETENTION, DEFAULT_EVENTLOG_RETENTION);
        Duration bodyTimeout = r.duration(BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT);
        String enforcement = r.text(ACCESS_ENFORCEMENT, "policy");
        if (!enforcement.equals("policy") && !enforcement.equals("off")) {
            throw new SessionConfigException(
                    origin,
                    ACCESS_ENFORCEMENT,
                    "'" + enforcement + "' is neither policy nor off",
                    "write policy (every session's traffic is checked against the policy engines' rules) or off"
                            + " (sessions reach every route, as plain WireGuard)");
        }
        int perUser = r.integer(
                USER_SESSIONS_MAX,
                DEFAULT_USER_SESSIONS_MAX,
                1,
                10_000,
                "set " + USER_SESSIONS_MAX + " to how many sessions (1 to 10000) one user may hold at once");
        return new SessionSettings(
                iface,
                v4,
                v6,
                endpoint,
                dns,
                mtu,
                routes,
                keepalive,
                lifetime,
                challenge,
                setup,
                idle,
                reaper,
                advertisable,
                new LoginLimits(failures, window, lockout, maxLockout),
                new RequestLimits(rate, burst, pending, pendingPerSource),
                new VerificationLimits(concurrent, queue),
                sessionRetention,
                eventLogRetention,
                bodyTimeout,
                new AccessSettings(enforcement.equals("policy"), perUser, r.duration(GRANT_LIFETIME, "1h")));
    }

    /** The pools' subnets, IPv4 first. */
    public List<IpPrefix> subnets() {
        return subnetV6 == null ? List.of(subnetV4) : List.of(subnetV4, subnetV6);
    }

    /** True when what clients are told to apply (routes, DNS, keepalive) differs: a new policy version. */
    boolean policyDiffers(SessionSettings other) {
        return !routes.equals(other.routes) || !dns.equals(other.dns) || keepalive != other.keepalive;
    }

    /** True when the session layer must restart for {@code other}: another interface or other pools. */
    boolean structureDiffers(SessionSettings other) {
        return !interfaceName.equals(other.interfaceName) || !subnets().equals(other.subnets());
    }

    /** Reads one configuration's raw values; each method refuses a bad value with its key and the fix. */
    private static final class Reader {

        private final Map<String, ?> properties;
        private final ConfigurationOrigin origin;

        Reader(Map<String, ?> properties, ConfigurationOrigin origin) {
            this.properties = properties;
            this.origin = origin;
        }

        String text(String key, String fallback) {
            Object raw = properties.get(key);
            String value = raw == null ? "" : raw.toString().strip();
            return value.isEmpty() ? fallback : value;
        }

        IpPrefix subnet(String key, String fallback, boolean ipv4, String example) {
            String text = text(key, fallback);
            if (text.isEmpty()) {
                return null;
            }
            IpPrefix prefix = prefix(key, text);
            int max = ipv4 ? 30 : 126;
            if (prefix.isIpv4() != ipv4) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "'" + text + "' is not an IPv" + (ipv4 ? 4 : 6) + " prefix",
                        "write an IPv" + (ipv4 ? 4 : 6) + " network such as " + example);
            }
            if (prefix.prefixLength() > max) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "'" + text + "' is too small for a pool",
                        "use a prefix of at most /" + max + ", such as " + example);
            }
            return prefix;
        }

        HostPort endpoint() {
            String text = text(ENDPOINT, "");
            if (text.isEmpty()) {
                return null;
            }
            return HostPort.parse(text)
                    .orElseThrow(() -> new SessionConfigException(
                            origin,
                            ENDPOINT,
                            "'" + text + "' is not host:port",
                            "write the name or address at which clients reach the interface, with its UDP port, e.g. "
                                    + "vpn.example.com:51820 or [2001:db8::1]:51820; or leave it empty"));
        }

        List<String> dns() {
            List<String> entries = items(DNS);
            for (String entry : entries) {
                if (!isAddress(entry) && !DOMAIN.matcher(entry).matches()) {
                    throw new SessionConfigException(
                            origin,
                            DNS,
                            "entry '" + entry + "' is neither an IP address nor" + " a domain name",
                            "list DNS server addresses and search domains, e.g. 10.8.0.1, corp.example");
                }
            }
            return entries;
        }

        List<IpPrefix> prefixes(String key) {
            List<IpPrefix> prefixes = new ArrayList<>();
            for (String entry : items(key)) {
                prefixes.add(prefix(key, entry));
            }
            return prefixes;
        }

        int integer(String key, int fallback, int min, int max, String fix) {
            Object raw = properties.get(key);
            if (raw == null || raw.toString().isBlank()) {
                return fallback;
            }
            long value;
            try {
                value = raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)
                        ? n.longValue()
                        : Long.parseLong(raw.toString().strip());
            } catch (NumberFormatException e) {
                throw new SessionConfigException(origin, key, "'" + raw + "' is not a whole number", fix);
            }
            if (value < min || value > max) {
                throw new SessionConfigException(origin, key, value + " is out of range", fix);
            }
            return (int) value;
        }

        Duration duration(String key, String fallback) {
            String text = text(key, fallback);
            Duration d;
            try {
                d = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "'" + text + "' " + e.getMessage(),
                        "write a positive duration such as 90s, 15m, 12h or PT15M");
            }
            if (d.isZero()) {
                throw new SessionConfigException(
                        origin, key, "'" + text + "' is zero", "write a positive duration such as " + fallback);
            }
            return d;
        }

        private IpPrefix prefix(String key, String text) {
            IpPrefix prefix;
            try {
                prefix = Prefixes.parse(text);
            } catch (IllegalArgumentException e) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "entry '" + text + "' is not an IP prefix",
                        "write address/length, e.g. 10.8.0.0/24 or fd00:8::/64");
            }
            if (!text.contains("/")) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "entry '" + text + "' has no prefix length",
                        "write address/length, e.g. " + prefix);
            }
            if (!prefix.address()
                    .equals(Prefixes.parse(text.substring(0, text.indexOf('/'))).address())) {
                throw new SessionConfigException(
                        origin,
                        key,
                        "entry '" + text + "' is not a network prefix (host bits" + " are set)",
                        "write the network address, " + prefix);
            }
            return prefix;
        }

        /** The entries of a list key: CM gives a String, an array or a Collection; a String may hold a comma list. */
        private List<String> items(String key) {
            Object raw = properties.get(key);
            List<String> values = new ArrayList<>();
            if (raw == null) {
                return values;
            }
            List<String> parts = PropertyValues.of(raw);
            for (String part : parts) {
                Arrays.stream(part.split("[,\\s]+")).filter(s -> !s.isEmpty()).forEach(values::add);
            }
            return values;
        }

        private static boolean isAddress(String text) {
            return Prefixes.isAddress(text);
        }
    }
}
