package dev.wirehaven.controlapi.internal.tls;

import dev.wirehaven.server.support.config.PropertyValues;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated values of the TLS configuration (PID {@value #PID}).
 *
 * <p>Read from the raw properties rather than through Declarative Services' typed {@link TlsConfig}:
 * a value in an {@code etc/*.cfg} file is text, and every bad value is refused here with a message that
 * says which key, what is wrong and what to write instead.
 *
 * @param port the TCP port of the control API over HTTPS
 * @param host the address Jetty listens on, {@value #ALL_ADDRESSES} for all
 * @param backlog the HTTPS port's accept queue: connections the kernel completes and holds until Jetty
 *        accepts them (the listen backlog)
 * @param identity where the certificate and key come from
 * @param origin where the configuration came from, for messages
 */
record TlsSettings(int port, String host, int backlog, IdentitySource identity, ConfigOrigin origin) {

    static final String PID = "dev.wirehaven.server.tls";

    static final String PORT = "port";
    static final String HOST = "host";
    static final String BACKLOG = "backlog";
    static final String NAMES = "names";
    static final String KEYSTORE = "keystore";
    static final String KEYSTORE_PASSWORD = "keystore.password";
    static final String CERTIFICATE = "certificate";
    static final String PRIVATE_KEY = "privateKey";

    /** Framework property with the port that bin/wirehaven takes from WIREHAVEN_HTTPS_PORT. */
    static final String PORT_PROPERTY = "wirehaven.https.port";

    static final int DEFAULT_PORT = 8443;
    /**
     * The accept queue by default: a thousand clients that connect at once all wait in it rather than
     * have their SYN dropped and retried after 1, 3, 7 s. Java's own default is 50. The kernel caps it at
     * {@code net.core.somaxconn} (4096 on Linux 5.4 and later).
     */
    static final int DEFAULT_BACKLOG = 1024;

    static final int MAX_BACKLOG = 65535;
    /** Java binds this as the wildcard of both IPv4 and IPv6. */
    static final String ALL_ADDRESSES = "0.0.0.0";

    /** Where the certificate and its key come from. */
    sealed interface IdentitySource {}

    /**
     * The server's own self-signed certificate, created on the first start in {@code <data>/tls}.
     *
     * @param names the subject alternative names the operator configured; empty for the defaults
     */
    record Generated(List<String> names) implements IdentitySource {
        Generated {
            names = List.copyOf(names);
        }
    }

    /** The operator's PKCS#12 keystore with one private key and its certificate chain. */
    record OperatorKeystore(Path file, String password) implements IdentitySource {
        @Override
        public String toString() {
            return "OperatorKeystore[file=" + file + "]";
        }
    }

    /** The operator's PEM files: a certificate (chain, leaf first) and its unencrypted private key. */
    record OperatorPem(Path certificate, Path privateKey) implements IdentitySource {}

    /**
     * Validates a configuration's properties; a missing configuration is an empty map.
     *
     * @param defaultPort the port when the configuration has none (from {@value #PORT_PROPERTY})
     * @param dataDirectory the server's data directory, against which relative file paths resolve
     * @throws TlsStartException naming the first bad key
     */
    static TlsSettings from(Map<String, ?> properties, int defaultPort, Path dataDirectory) {
        ConfigOrigin origin = ConfigOrigin.of(properties);
        int port = port(properties.get(PORT), defaultPort, origin);
        String host = host(properties.get(HOST), origin);
        int backlog = backlog(properties.get(BACKLOG), origin);
        List<String> names = names(properties.get(NAMES), origin);
        Path keystore = path(properties.get(KEYSTORE), KEYSTORE, dataDirectory, origin);
        Path certificate = path(properties.get(CERTIFICATE), CERTIFICATE, dataDirectory, origin);
        Path privateKey = path(properties.get(PRIVATE_KEY), PRIVATE_KEY, dataDirectory, origin);
        Object password = properties.get(KEYSTORE_PASSWORD);
        IdentitySource identity;
        if (keystore != null) {
            if (certificate != null || privateKey != null) {
                throw TlsStartException.badValue(
                        origin,
                        KEYSTORE,
                        "is set together with " + (certificate != null ? CERTIFICATE : PRIVATE_KEY),
                        "configure either " + KEYSTORE + " (with " + KEYSTORE_PASSWORD + ") or " + CERTIFICATE + " and "
                                + PRIVATE_KEY + ", not both");
            }
            identity = new OperatorKeystore(keystore, password == null ? "" : password.toString());
        } else if (certificate != null || privateKey != null) {
            if (certificate == null || privateKey == null) {
                String missing = certificate == null ? CERTIFICATE : PRIVATE_KEY;
                throw TlsStartException.badValue(
                        origin,
                        missing,
                        "is missing",
                        "set both " + CERTIFICATE + " (PEM certificate) and " + PRIVATE_KEY
                                + " (PEM private key), or neither for the server's own certificate");
            }
            identity = new OperatorPem(certificate, privateKey);
        } else {
            identity = new Generated(names);
        }
        if (!names.isEmpty() && !(identity instanceof Generated)) {
            throw TlsStartException.badValue(
                    origin,
                    NAMES,
                    "only applies to the server's own certificate",
                    "remove " + NAMES + ": the names of your certificate are the ones it was issued for");
        }
        return new TlsSettings(port, host, backlog, identity, origin);
    }

    /** The port from the framework property {@value #PORT_PROPERTY}, else {@value #DEFAULT_PORT}. */
    static int defaultPort(String frameworkProperty) {
        if (frameworkProperty == null || frameworkProperty.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(frameworkProperty.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through: an unusable environment value is reported as such
        }
        throw new TlsStartException("HTTPS not started: the framework property " + PORT_PROPERTY + " (from"
                + " WIREHAVEN_HTTPS_PORT) is '" + frameworkProperty + "'; set WIREHAVEN_HTTPS_PORT to a TCP port"
                + " from 1 to 65535");
    }

    private static int port(Object raw, int fallback, ConfigOrigin origin) {
        return wholeNumber(
                raw,
                PORT,
                fallback,
                65535,
                origin,
                "set " + PORT + " to a TCP port from 1 to 65535 (default " + DEFAULT_PORT + ")");
    }

    private static int backlog(Object raw, ConfigOrigin origin) {
        return wholeNumber(
                raw,
                BACKLOG,
                DEFAULT_BACKLOG,
                MAX_BACKLOG,
                origin,
                "set " + BACKLOG
                        + " to the number of connections that may wait to be accepted, from 1 to " + MAX_BACKLOG
                        + " (default "
                        + DEFAULT_BACKLOG + "; the kernel caps it at net.core.somaxconn)");
    }

    /** A whole number from 1 to {@code max}, {@code fallback} when absent or blank. */
    private static int wholeNumber(Object raw, String key, int fallback, int max, ConfigOrigin origin, String fix) {
        if (raw == null || raw.toString().isBlank()) {
            return fallback;
        }
        long value;
        if (raw instanceof Number number && !(raw instanceof Double) && !(raw instanceof Float)) {
            value = number.longValue();
        } else {
            try {
                value = Long.parseLong(raw.toString().trim());
            } catch (NumberFormatException e) {
                throw TlsStartException.badValue(origin, key, "'" + raw + "' is not a whole number", fix);
            }
        }
        if (value < 1 || value > max) {
            throw TlsStartException.badValue(origin, key, value + " is out of range", fix);
        }
        return (int) value;
    }

    private static String host(Object raw, ConfigOrigin origin) {
        String host = raw == null ? "" : raw.toString().trim();
        if (host.isEmpty()) {
            return ALL_ADDRESSES;
        }
        if (!SubjectNames.isIpLiteral(host) && !SubjectNames.isDnsName(host)) {
            throw TlsStartException.badValue(
                    origin,
                    HOST,
                    "'" + host + "' is neither an IP address nor a host name",
                    "give the address to listen on, e.g. 192.0.2.10, or leave it empty for all addresses");
        }
        return host;
    }

    private static List<String> names(Object raw, ConfigOrigin origin) {
        List<String> names = new ArrayList<>();
        for (String value : PropertyValues.of(raw)) {
            // a .cfg line "names=vpn.example.com, 192.0.2.10" arrives as one string
            for (String item : value.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                if (!SubjectNames.isIpLiteral(item) && !SubjectNames.isDnsName(item)) {
                    throw TlsStartException.badValue(
                            origin,
                            NAMES,
                            "entry '" + item + "' is neither an IP address nor a DNS name",
                            "list the names and addresses clients use to reach the server, e.g."
                                    + " vpn.example.com, 192.0.2.10");
                }
                if (!names.contains(item)) {
                    names.add(item);
                }
            }
        }
        return names;
    }

    private static Path path(Object raw, String key, Path dataDirectory, ConfigOrigin origin) {
        String text = raw == null ? "" : raw.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            // relative to the data directory, not to whatever the working directory happens to be
            return dataDirectory.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw TlsStartException.badValue(
                    origin,
                    key,
                    "'" + text + "' is not a file path",
                    "give the path of the file, absolute or relative to " + dataDirectory);
        }
    }
}
