package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * This server as one gateway node among those that share its store: its name, where clients reach
 * its control API, and how many sessions it is sized for. Read from the same configuration as the
 * sessions ({@code node.*} keys); on a single server with the embedded store the defaults are right.
 *
 * <p>The name must be unique among the nodes of one database: it keys the node's heartbeat row and
 * marks the changes the node makes, so two nodes of one name would take each other's changes for
 * their own and never apply them. The default, the host name, is unique where each node is a host.
 *
 * @param name the node's name
 * @param controlUrl where clients reach this node's control API ({@code https://host:port}), or null:
 *        then the node is not offered to clients as a gateway to move to
 * @param capacity the sessions this node is sized for (placement compares nodes by their headroom)
 */
record NodeSettings(String name, String controlUrl, int capacity) {

    static final String NAME = "node.name";
    static final String CONTROL_URL = "node.control.url";
    static final String CAPACITY = "node.capacity";
    static final int DEFAULT_CAPACITY = 1000;

    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Validates the {@code node.*} keys of the sessions' configuration.
     *
     * @param hostName this host's name, the default node name
     * @throws SessionConfigException naming the first bad key
     */
    static NodeSettings from(Map<String, ?> properties, String hostName) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        String name = text(properties, NAME);
        if (name.isEmpty()) {
            name = hostName;
        }
        if (!NODE_NAME.matcher(name).matches()) {
            throw new SessionConfigException(
                    origin,
                    NAME,
                    "'" + printable(name) + "' is not a node name",
                    "use 1 to 64 letters, digits, '.', '_' or '-', unique among the nodes that share the store,"
                            + " e.g. gw1");
        }
        String url = text(properties, CONTROL_URL);
        String controlUrl = url.isEmpty() ? null : controlUrl(origin, url);
        int capacity = DEFAULT_CAPACITY;
        String raw = text(properties, CAPACITY);
        if (!raw.isEmpty()) {
            try {
                capacity = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                capacity = -1;
            }
            if (capacity < 1 || capacity > 1_000_000) {
                throw new SessionConfigException(
                        origin,
                        CAPACITY,
                        "'" + printable(raw) + "' is not a session count",
                        "set the sessions this node is sized for, 1 to 1000000 (default " + DEFAULT_CAPACITY + ")");
            }
        }
        return new NodeSettings(name, controlUrl, capacity);
    }

    /** The local host's name as a node name, or {@code gateway} when it has none that fits. */
    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        String name = env;
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = null;
            }
        }
        if (name != null && name.contains(".")) {
            name = name.substring(0, name.indexOf('.'));
        }
        return name != null && NODE_NAME.matcher(name).matches() ? name : "gateway";
    }

    private static String controlUrl(ConfigurationOrigin origin, String text) {
        String fix = "write the https URL at which clients reach this node's control API, scheme, host and port"
                + " only, e.g. https://gw1.example.com:8443; or leave it empty";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new SessionConfigException(origin, CONTROL_URL, "'" + printable(text) + "' is not a URL", fix);
        }
        if (!"https".equals(uri.getScheme())
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))) {
            throw new SessionConfigException(
                    origin, CONTROL_URL, "'" + printable(text) + "' is not an https origin", fix);
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return "https://" + uri.getHost() + port;
    }

    private static String text(Map<String, ?> properties, String key) {
        Object raw = properties.get(key);
        return raw == null ? "" : raw.toString().strip();
    }

    /** The value as it may be logged: control characters would forge log lines. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(100).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                out.append('?'); // FORMAT: the bidi overrides, which would reorder what the operator reads
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
