package dev.wirehaven.sessions.internal.session;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The session flow's configuration as the Felix Web Console and {@code etc/dev.wirehaven.server.sessions.cfg}
 * show it. The component validates the raw properties itself ({@link SessionSettings}), so that a bad
 * value is refused with its key and the fix; the defaults here are the same constants.
 */
@ObjectClassDefinition(
        id = SessionSettings.PID,
        name = "Wirehaven sessions",
        description = "The client session flow: tunnel addresses, what clients are told to configure, lifetimes,"
                + " the limits on failed logins, connection requests and credential checks, and how long records"
                + " are kept. Changes of dns, routes and keepalive are pushed to connected"
                + " clients as a policy update; a change of interface or subnets restarts the session layer"
                + " (connected clients keep their tunnels).")
@interface SessionConfig {

    @AttributeDefinition(
            name = "WireGuard interface",
            description =
                    "The interface (dev.wirehaven.wireguard.interface configuration) whose peers the sessions are.")
    String interface$() default SessionSettings.DEFAULT_INTERFACE;

    @AttributeDefinition(
            name = "IPv4 subnet",
            description = "The pool of client tunnel addresses, a network prefix such as 10.8.0.0/24 (at most /30).")
    String subnet_v4() default SessionSettings.DEFAULT_SUBNET_V4;

    @AttributeDefinition(
            name = "IPv6 subnet",
            required = false,
            description = "An IPv6 pool such as fd00:8::/64 to give clients an IPv6 address too; empty for none.")
    String subnet_v6() default "";

    @AttributeDefinition(
            name = "Endpoint",
            required = false,
            description = "host:port at which clients reach the WireGuard interface (IPv6 in brackets). Empty: the"
                    + " host name the client used for the control API, with the interface's listen port.")
    String endpoint() default "";

    @AttributeDefinition(
            name = "DNS",
            required = false,
            description = "DNS servers (addresses) and search domains (names) for clients, comma-separated.")
    String[] dns() default {};

    @AttributeDefinition(
            name = "MTU",
            min = "1280",
            max = "65535",
            description = "The tunnel MTU that clients use (1280-65535).")
    int mtu() default SessionSettings.DEFAULT_MTU;

    @AttributeDefinition(
            name = "Routes",
            required = false,
            description = "Prefixes that clients route into the tunnel. Empty: the subnets (split tunnel);"
                    + " 0.0.0.0/0, ::/0 for a full tunnel.")
    String[] routes() default {};

    @AttributeDefinition(
            name = "Persistent keepalive (s)",
            min = "0",
            max = "65535",
            description = "The clients' persistent keepalive in seconds; 0 turns it off.")
    int keepalive() default SessionSettings.DEFAULT_KEEPALIVE;

    @AttributeDefinition(
            name = "Session lifetime",
            description = "How long a session token is valid before the client must re-authenticate (e.g. 12h).")
    String session_lifetime() default "12h";

    @AttributeDefinition(
            name = "Challenge timeout",
            description = "How long a client has to answer an auth challenge (e.g. 2m).")
    String challenge_timeout() default "2m";

    @AttributeDefinition(
            name = "Setup timeout",
            description = "How long an authenticated session may go without configuration, and a configured one"
                    + " without its first handshake, before it is cleaned up (e.g. 2m).")
    String setup_timeout() default "2m";

    @AttributeDefinition(
            name = "Idle timeout",
            description = "An active session without a handshake for this long is cleaned up (e.g. 15m).")
    String idle_timeout() default "15m";

    @AttributeDefinition(
            name = "Reaper interval",
            description = "How often the server looks for handshakes, idle and expired sessions (e.g. 5s).")
    String reaper_interval() default "5s";

    @AttributeDefinition(
            name = "Advertisable subnets",
            required = false,
            description = "Site-to-site subnets that clients may route to themselves when no policy engine has"
                    + " a rule for them, comma-separated prefixes. Empty: none without a policy engine's ALLOW.")
    String[] routes_advertisable() default {};

    @AttributeDefinition(
            name = "Failed logins before lockout",
            min = "1",
            description = "Failed logins per user name, and per source (an IPv4 address, an IPv6 /64), within the"
                    + " window before a lockout.")
    int auth_failures() default SessionSettings.DEFAULT_AUTH_FAILURES;

    @AttributeDefinition(name = "Failed login window", description = "The window in which failures count (e.g. 15m).")
    String auth_window() default "15m";

    @AttributeDefinition(
            name = "First lockout",
            description = "The first lockout; each further one doubles it up to the longest lockout (e.g. 30s).")
    String auth_lockout() default "30s";

    @AttributeDefinition(name = "Longest lockout", description = "The longest lockout (e.g. 15m).")
    String auth_lockout_max() default "15m";

    @AttributeDefinition(
            name = "Connection requests per minute",
            min = "1",
            description = "Connection requests (POST /api/v1/sessions, before any login) that one source may send"
                    + " per minute in the long run; a source is an IPv4 address or an IPv6 /64. More are answered"
                    + " 429 with Retry-After.")
    int request_rate() default SessionSettings.DEFAULT_REQUEST_RATE;

    @AttributeDefinition(
            name = "Connection request burst",
            min = "1",
            description = "How many connection requests one source may send at once after a quiet spell.")
    int request_burst() default SessionSettings.DEFAULT_REQUEST_BURST;

    @AttributeDefinition(
            name = "Sessions waiting for login",
            min = "1",
            description = "Sessions whose challenge is not answered yet, from all sources together; more"
                    + " connection requests are answered 503 with Retry-After.")
    int pending_max() default SessionSettings.DEFAULT_PENDING_MAX;

    @AttributeDefinition(
            name = "Sessions waiting for login per source",
            min = "1",
            description =
                    "The same from one source (IPv4 address, IPv6 /64); more are answered 429 with" + " Retry-After.")
    int pending_max_source() default SessionSettings.DEFAULT_PENDING_MAX_SOURCE;

    @AttributeDefinition(
            name = "Concurrent credential checks",
            min = "1",
            description = "Credential checks (password hashing, directory calls) that run at once.")
    int auth_verify_concurrent() default SessionSettings.DEFAULT_VERIFY_CONCURRENT;

    @AttributeDefinition(
            name = "Queued credential checks",
            min = "0",
            description = "Credential checks that may wait for their turn; a login beyond them is answered 503 with"
                    + " Retry-After.")
    int auth_verify_queue() default SessionSettings.DEFAULT_VERIFY_QUEUE;

    @AttributeDefinition(
            name = "Ended session retention",
            description = "How long an ended session's row is kept before the reaper deletes it (e.g. 7d).")
    String session_retention() default SessionSettings.DEFAULT_SESSION_RETENTION;

    @AttributeDefinition(
            name = "Event log retention",
            description = "How long the entries of the event log are kept before the reaper deletes them (e.g. 30d).")
    String eventlog_retention() default SessionSettings.DEFAULT_EVENTLOG_RETENTION;

    @AttributeDefinition(
            name = "Request body timeout",
            description = "How long the control API waits for the whole body of a request; a slower one is"
                    + " answered 408 and its connection closed (e.g. 10s).")
    String api_body_timeout() default SessionSettings.DEFAULT_BODY_TIMEOUT;

    @AttributeDefinition(
            name = "Access enforcement",
            description = "policy: every session's traffic is checked against the policy engines' rules in the"
                    + " data plane (default deny); off: sessions reach every route, as plain WireGuard.")
    String access_enforcement() default "policy";

    @AttributeDefinition(
            name = "Sessions per user",
            description = "How many sessions one user may hold at once (1 to 10000).")
    int user_sessions_max() default SessionSettings.DEFAULT_USER_SESSIONS_MAX;

    @AttributeDefinition(
            name = "Resource grant lifetime",
            description = "How long a resource granted on request (wirehaven-client access) stays open (e.g. 1h).")
    String access_grant_lifetime() default "1h";

    @AttributeDefinition(
            name = "Node name",
            required = false,
            description = "This server's name among the gateway nodes that share the store (letters, digits, '.',"
                    + " '_', '-'; unique per store). Empty: the host name.")
    String node_name() default "";

    @AttributeDefinition(
            name = "Node control URL",
            required = false,
            description = "https://host:port at which clients reach this node's control API, offered to clients of"
                    + " the other nodes as a gateway to move to. Empty: this node is not offered.")
    String node_control_url() default "";

    @AttributeDefinition(
            name = "Node capacity",
            min = "1",
            max = "1000000",
            description = "The sessions this node is sized for; new sessions go to the node with the most headroom.")
    int node_capacity() default NodeSettings.DEFAULT_CAPACITY;
}
