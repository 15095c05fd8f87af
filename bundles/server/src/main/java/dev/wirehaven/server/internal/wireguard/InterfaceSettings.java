package dev.wirehaven.server.internal.wireguard;

import java.lang.reflect.Array;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated values of one interface configuration (factory PID {@value #FACTORY_PID}).
 *
 * <p>They are read from the raw configuration properties rather than through Declarative Services'
 * typed {@link InterfaceConfig}: a value in an {@code etc/*.cfg} file is text, and DS turns text that
 * is not a number into a failure that names neither the key nor the fix. Here every bad value is
 * refused with a message that says which key, what is wrong and what to write instead.
 *
 * @param name the network interface name
 * @param listenPort the UDP port
 * @param privateKeyFile the absolute path of the private key file
 * @param addresses the interface's own addresses, in the configured order
 * @param mtu the interface MTU
 */
record InterfaceSettings(String name, int listenPort, Path privateKeyFile, List<InterfaceAddress> addresses, int mtu) {

    static final String FACTORY_PID = "dev.wirehaven.wireguard.interface";

    static final String NAME = "name";
    static final String LISTEN_PORT = "listenPort";
    static final String PRIVATE_KEY_FILE = "privateKeyFile";
    static final String ADDRESSES = "addresses";
    static final String MTU = "mtu";

    static final String DEFAULT_NAME = "wg0";
    static final int DEFAULT_LISTEN_PORT = 51820;
    static final int DEFAULT_MTU = 1420;
    /** Where a key file without a configured path lives, under the data directory. */
    static final String KEYS_DIRECTORY = "keys";

    /** The smallest MTU that IPv4 guarantees, and the one that IPv6 needs. */
    static final int MIN_MTU = 576;
    static final int MIN_MTU_IPV6 = 1280;
    static final int MAX_MTU = 65535;

    /**
     * What Linux takes as an interface name (at most 15 bytes, no '/', ':' or blanks), narrowed to the
     * characters that are also safe in the UAPI socket's file name and in a service filter, and that
     * cannot be read as a command line option.
     */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

    InterfaceSettings {
        addresses = List.copyOf(addresses);
    }

    /**
     * Validates a configuration's properties.
     *
     * @param dataDirectory the server's data directory, for the default and relative key file paths
     * @throws InterfaceStartException naming the first bad key
     */
    static InterfaceSettings from(Map<String, ?> properties, Path dataDirectory) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        String name = name(properties.get(NAME), origin);
        int port = integer(properties.get(LISTEN_PORT), DEFAULT_LISTEN_PORT, 1, 65535, origin, LISTEN_PORT,
                "set " + LISTEN_PORT + " to a UDP port from 1 to 65535 (WireGuard's usual one is 51820)");
        Path keyFile = keyFile(properties.get(PRIVATE_KEY_FILE), name, dataDirectory, origin);
        List<InterfaceAddress> addresses = addresses(properties.get(ADDRESSES), origin);
        int mtu = integer(properties.get(MTU), DEFAULT_MTU, MIN_MTU, MAX_MTU, origin, MTU,
                "set " + MTU + " to a size from " + MIN_MTU + " to " + MAX_MTU + " bytes (1420 suits most links)");
        if (mtu < MIN_MTU_IPV6 && addresses.stream().anyMatch(a -> !a.ipv4())) {
            throw InterfaceStartException.badValue(origin, MTU, mtu + " is too small for the IPv6 addresses",
                    "IPv6 needs an MTU of at least " + MIN_MTU_IPV6 + "; raise " + MTU + " or remove the IPv6 "
                            + ADDRESSES);
        }
        return new InterfaceSettings(name, port, keyFile, addresses, mtu);
    }

    /** The default key file of interface {@code name}: {@code <data>/keys/<name>.key}. */
    static Path defaultKeyFile(Path dataDirectory, String name) {
        return dataDirectory.resolve(KEYS_DIRECTORY).resolve(name + ".key").toAbsolutePath().normalize();
    }

    private static String name(Object raw, ConfigurationOrigin origin) {
        String name = raw == null ? DEFAULT_NAME : raw.toString().trim();
        if (!VALID_NAME.matcher(name).matches()) {
            throw InterfaceStartException.badValue(origin, NAME, "'" + name + "' is not a valid interface name",
                    "use 1 to 15 letters, digits, '_', '.' or '-', not starting with '.' or '-', e.g. wg0");
        }
        return name;
    }

    private static int integer(Object raw, int fallback, int min, int max, ConfigurationOrigin origin, String key,
            String fix) {
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
                throw InterfaceStartException.badValue(origin, key, "'" + raw + "' is not a whole number", fix);
            }
        }
        if (value < min || value > max) {
            throw InterfaceStartException.badValue(origin, key, value + " is out of range", fix);
        }
        return (int) value;
    }

    private static Path keyFile(Object raw, String name, Path dataDirectory, ConfigurationOrigin origin) {
        String text = raw == null ? "" : raw.toString().trim();
        if (text.isEmpty()) {
            return defaultKeyFile(dataDirectory, name);
        }
        try {
            // relative to the data directory, not to whatever the working directory happens to be
            return dataDirectory.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw InterfaceStartException.badValue(origin, PRIVATE_KEY_FILE, "'" + text + "' is not a file path",
                    "give the path of a key file, or leave " + PRIVATE_KEY_FILE + " empty for "
                            + defaultKeyFile(dataDirectory, name));
        }
    }

    private static List<InterfaceAddress> addresses(Object raw, ConfigurationOrigin origin) {
        List<InterfaceAddress> parsed = new ArrayList<>();
        for (String value : values(raw)) {
            // a .cfg line "addresses=10.8.0.1/24, fd00:8::1/64" arrives as one string
            for (String item : value.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                try {
                    parsed.add(InterfaceAddress.parse(item));
                } catch (IllegalArgumentException e) {
                    throw InterfaceStartException.badValue(origin, ADDRESSES,
                            "entry '" + item + "' is not an IP address with a prefix length",
                            "write each as address/prefix, e.g. 10.8.0.1/24 or fd00:8::1/64");
                }
            }
        }
        return parsed;
    }

    /** A property's values: Configuration Admin gives a String, an array or a Collection. */
    private static List<String> values(Object raw) {
        List<String> values = new ArrayList<>();
        if (raw == null) {
            return values;
        }
        if (raw.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(raw); i++) {
                values.add(String.valueOf(Array.get(raw, i)));
            }
        } else if (raw instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else {
            values.add(raw.toString());
        }
        return values;
    }
}
