package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.config.ConfigurationOrigin;
import dev.wirehaven.server.support.config.PropertyValues;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated values of one interface configuration (factory PID {@value #FACTORY_PID}).
 *
 * <p>They are read from the raw configuration properties rather than through Declarative Services'
 * typed {@link InterfaceConfig}: a value in an {@code etc/*.cfg} file is text, and DS turns text that
 * is not a number into a failure that names neither the key nor the fix. Here every bad value is
 * refused with a message that says which key, what is wrong and what to write instead.
 *
 * <p>Public, with its names, for the import of wg-quick files, which writes these settings and
 * reads them back as the server will before it writes anything.
 *
 * @param name the network interface name
 * @param listenPort the UDP port
 * @param privateKeyFile the absolute path of the private key file
 * @param addresses the interface's own addresses, in the configured order
 * @param mtu the interface MTU
 * @param peers the static peers, their preshared key files absolute
 * @param preUp wg-quick's PreUp: commands run before the interface is created
 * @param postUp wg-quick's PostUp: commands run once it is up
 * @param preDown wg-quick's PreDown: commands run before it is removed
 * @param postDown wg-quick's PostDown: commands run after it was removed
 * @param forwarding whether the kernel forwards the tunnel's traffic while the interface is up
 *     ({@link FullTunnel})
 * @param masquerade which forwarded traffic leaves with the server's address ({@link FullTunnel})
 * @param routePeerSubnets whether the kernel routes the peers' allowed IPs beyond the interface's own
 *     subnets into the interface ({@link PeerRoutes})
 */
public record InterfaceSettings(
        String name,
        int listenPort,
        Path privateKeyFile,
        List<InterfaceAddress> addresses,
        int mtu,
        List<StaticPeer> peers,
        List<String> preUp,
        List<String> postUp,
        List<String> preDown,
        List<String> postDown,
        boolean forwarding,
        Masquerade masquerade,
        boolean routePeerSubnets) {

    public static final String FACTORY_PID = "dev.wirehaven.wireguard.interface";

    public static final String NAME = "name";
    public static final String LISTEN_PORT = "listenPort";
    public static final String PRIVATE_KEY_FILE = "privateKeyFile";
    public static final String ADDRESSES = "addresses";
    public static final String MTU = "mtu";
    public static final String PEERS = "peers";
    public static final String PRE_UP = "preUp";
    public static final String POST_UP = "postUp";
    public static final String PRE_DOWN = "preDown";
    public static final String POST_DOWN = "postDown";
    public static final String FORWARDING = "forwarding";
    public static final String MASQUERADE = "masquerade";
    public static final String ROUTE_PEER_SUBNETS = "routePeerSubnets";

    public static final String DEFAULT_NAME = "wg0";
    public static final int DEFAULT_LISTEN_PORT = 51820;
    public static final int DEFAULT_MTU = 1420;
    /** Where a key file without a configured path lives, under the data directory. */
    public static final String KEYS_DIRECTORY = "keys";

    /** The smallest MTU that IPv4 guarantees, and the one that IPv6 needs. */
    public static final int MIN_MTU = 576;

    public static final int MIN_MTU_IPV6 = 1280;
    static final int MAX_MTU = 65535;

    /**
     * What separates peers in one value: a {@code .cfg} file holds text, and one line per peer
     * (continued with a backslash) reads best there.
     */
    static final String PEER_SEPARATOR = ";";

    /**
     * What Linux takes as an interface name (at most 15 bytes, no '/', ':' or blanks), narrowed to the
     * characters that are also safe in the UAPI socket's file name and in a service filter, and that
     * cannot be read as a command line option.
     */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

    public InterfaceSettings {
        addresses = List.copyOf(addresses);
        peers = List.copyOf(peers);
        preUp = List.copyOf(preUp);
        postUp = List.copyOf(postUp);
        preDown = List.copyOf(preDown);
        postDown = List.copyOf(postDown);
        Objects.requireNonNull(masquerade, "masquerade");
    }

    /**
     * Validates a configuration's properties.
     *
     * @param dataDirectory the server's data directory, for the default and relative key file paths
     * @throws InterfaceStartException naming the first bad key
     */
    public static InterfaceSettings from(Map<String, ?> properties, Path dataDirectory) {
        ConfigurationOrigin origin = ConfigurationOrigin.of(properties);
        String name = name(properties.get(NAME), origin);
        int port = integer(
                properties.get(LISTEN_PORT),
                DEFAULT_LISTEN_PORT,
                1,
                65535,
                origin,
                LISTEN_PORT,
                "set " + LISTEN_PORT + " to a UDP port from 1 to 65535 (WireGuard's usual one is 51820)");
        Path keyFile = keyFile(properties.get(PRIVATE_KEY_FILE), name, dataDirectory, origin);
        List<InterfaceAddress> addresses = addresses(properties.get(ADDRESSES), origin);
        int mtu = integer(
                properties.get(MTU),
                DEFAULT_MTU,
                MIN_MTU,
                MAX_MTU,
                origin,
                MTU,
                "set " + MTU + " to a size from " + MIN_MTU + " to " + MAX_MTU + " bytes (1420 suits most links)");
        if (mtu < MIN_MTU_IPV6 && addresses.stream().anyMatch(a -> !a.isIpv4())) {
            throw InterfaceStartException.badValue(
                    origin,
                    MTU,
                    mtu + " is too small for the IPv6 addresses",
                    "IPv6 needs an MTU of at least " + MIN_MTU_IPV6 + "; raise " + MTU + " or remove the IPv6 "
                            + ADDRESSES);
        }
        List<StaticPeer> peers = peers(properties.get(PEERS), dataDirectory, origin);
        boolean forwarding = bool(
                properties.get(FORWARDING),
                false,
                origin,
                FORWARDING,
                "write " + FORWARDING + " = true to have the server forward the tunnel's traffic while the"
                        + " interface is up, or false (the default)");
        Masquerade masquerade = masquerade(properties.get(MASQUERADE), name, origin);
        if (masquerade.isOn() && !forwarding) {
            throw InterfaceStartException.badValue(
                    origin,
                    MASQUERADE,
                    "'" + masquerade + "' is set, but " + FORWARDING + " is not true",
                    "set " + FORWARDING + " = true as well (masquerade rewrites the source of forwarded traffic,"
                            + " and without forwarding nothing is forwarded), or leave " + MASQUERADE + " empty");
        }
        if (masquerade.isOn() && addresses.isEmpty()) {
            throw InterfaceStartException.badValue(
                    origin,
                    MASQUERADE,
                    "'" + masquerade + "' needs the interface's " + ADDRESSES
                            + ": it masquerades the traffic whose source is in their subnets",
                    "set " + ADDRESSES + " (e.g. 10.8.0.1/24), or leave " + MASQUERADE + " empty");
        }
        boolean routePeerSubnets = bool(
                properties.get(ROUTE_PEER_SUBNETS),
                true,
                origin,
                ROUTE_PEER_SUBNETS,
                "write " + ROUTE_PEER_SUBNETS + " = true (the default) to have the server route the peers' subnets"
                        + " into the interface, or false if you add those routes yourself (postUp)");
        return new InterfaceSettings(
                name,
                port,
                keyFile,
                addresses,
                mtu,
                peers,
                commands(properties.get(PRE_UP)),
                commands(properties.get(POST_UP)),
                commands(properties.get(PRE_DOWN)),
                commands(properties.get(POST_DOWN)),
                forwarding,
                masquerade,
                routePeerSubnets);
    }

    /** Whether {@code name} can name an interface (see {@link #VALID_NAME}). */
    public static boolean isValidName(String name) {
        return VALID_NAME.matcher(name).matches();
    }

    /** The default key file of interface {@code name}: {@code <data>/keys/<name>.key}. */
    static Path defaultKeyFile(Path dataDirectory, String name) {
        return dataDirectory
                .resolve(KEYS_DIRECTORY)
                .resolve(name + ".key")
                .toAbsolutePath()
                .normalize();
    }

    private static String name(Object raw, ConfigurationOrigin origin) {
        String name = raw == null ? DEFAULT_NAME : raw.toString().trim();
        if (!isValidName(name)) {
            throw InterfaceStartException.badValue(
                    origin,
                    NAME,
                    "'" + name + "' is not a valid interface name",
                    "use 1 to 15 letters, digits, '_', '.' or '-', not starting with '.' or '-', e.g. wg0");
        }
        return name;
    }

    private static int integer(
            Object raw, int fallback, int min, int max, ConfigurationOrigin origin, String key, String fix) {
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

    /** {@code true} or {@code false} (any case), a Boolean from a typed configuration; empty is {@code fallback}. */
    private static boolean bool(Object raw, boolean fallback, ConfigurationOrigin origin, String key, String fix) {
        if (raw instanceof Boolean b) {
            return b;
        }
        List<String> values = PropertyValues.of(raw);
        String text = values.size() == 1 ? values.get(0).trim() : String.join(",", values);
        if (text.isEmpty()) {
            return fallback;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw InterfaceStartException.badValue(origin, key, "'" + text + "' is neither true nor false", fix);
    }

    /**
     * Empty (or {@code false}, {@code off}, {@code no}, {@code none}, which read as "no masquerade"
     * and are no sensible interface names): off; {@code auto}; else the name of the interface
     * through which the masqueraded traffic leaves.
     */
    private static Masquerade masquerade(Object raw, String name, ConfigurationOrigin origin) {
        List<String> values = PropertyValues.of(raw);
        if (raw instanceof Boolean b && !b) {
            return Masquerade.OFF;
        }
        String fix = "write the name of the interface toward the internet (e.g. " + MASQUERADE + " = eth0), "
                + Masquerade.AUTO_VALUE + " for any interface but " + name + ", or leave it empty for none";
        if (values.size() > 1) {
            throw InterfaceStartException.badValue(
                    origin, MASQUERADE, "has " + values.size() + " values, but takes one interface", fix);
        }
        String text = values.isEmpty() ? "" : values.get(0).trim();
        switch (text.toLowerCase(Locale.ROOT)) {
            case "", "false", "off", "no", "none":
                return Masquerade.OFF;
            case Masquerade.AUTO_VALUE:
                return Masquerade.AUTO;
            case "true", "on", "yes":
                throw InterfaceStartException.badValue(
                        origin, MASQUERADE, "'" + text + "' does not say through which interface", fix);
            default:
                break;
        }
        if (!isValidName(text)) {
            throw InterfaceStartException.badValue(origin, MASQUERADE, "'" + text + "' is not an interface name", fix);
        }
        if (text.equals(name)) {
            throw InterfaceStartException.badValue(
                    origin,
                    MASQUERADE,
                    "'" + text + "' is this WireGuard interface itself",
                    "name the interface through which the traffic leaves the server (e.g. eth0), or write "
                            + Masquerade.AUTO_VALUE);
        }
        return Masquerade.via(text);
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
            throw InterfaceStartException.badValue(
                    origin,
                    PRIVATE_KEY_FILE,
                    "'" + text + "' is not a file path",
                    "give the path of a key file, or leave " + PRIVATE_KEY_FILE + " empty for "
                            + defaultKeyFile(dataDirectory, name));
        }
    }

    private static List<InterfaceAddress> addresses(Object raw, ConfigurationOrigin origin) {
        List<InterfaceAddress> parsed = new ArrayList<>();
        for (String value : PropertyValues.of(raw)) {
            // a .cfg line "addresses=10.8.0.1/24, fd00:8::1/64" arrives as one string
            for (String item : value.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                try {
                    parsed.add(InterfaceAddress.parse(item));
                } catch (IllegalArgumentException e) {
                    throw InterfaceStartException.badValue(
                            origin,
                            ADDRESSES,
                            "entry '" + item + "' is not an IP address with a prefix length",
                            "write each as address/prefix, e.g. 10.8.0.1/24 or fd00:8::1/64");
                }
            }
        }
        return parsed;
    }

    /**
     * The static peers: the values of an array (the web console gives one field per peer), each
     * of which may hold several peers separated by {@value #PEER_SEPARATOR} (a .cfg file gives one
     * text).
     */
    private static List<StaticPeer> peers(Object raw, Path dataDirectory, ConfigurationOrigin origin) {
        List<StaticPeer> peers = new ArrayList<>();
        Set<Key> keys = new HashSet<>();
        for (String value : PropertyValues.of(raw)) {
            for (String entry : value.split(PEER_SEPARATOR)) {
                if (entry.isBlank()) {
                    continue;
                }
                String which = "entry " + (peers.size() + 1);
                StaticPeer peer;
                try {
                    peer = StaticPeer.parse(entry, dataDirectory);
                } catch (IllegalArgumentException e) {
                    // the key is named when it is one: the rest of the message says what is wrong with the entry
                    String key = entry.strip().split("\\s+")[0];
                    String label = isPublicKey(key) ? which + " (peer " + key + ")" : which;
                    throw InterfaceStartException.badValue(origin, PEERS, label + ": " + e.getMessage());
                }
                if (!keys.add(peer.publicKey())) {
                    throw InterfaceStartException.badValue(
                            origin,
                            PEERS,
                            which + " (peer " + peer.publicKey().toBase64()
                                    + "): the same peer is listed before; merge the two entries into one");
                }
                peers.add(peer);
            }
        }
        return peers;
    }

    private static boolean isPublicKey(String word) {
        try {
            return word.length() == 44 && Key.fromBase64(word) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The commands of a hook, in order: the values of an array (one field per command in the web
     * console), each of which may hold several commands on lines of their own (a .cfg value with
     * {@code \n}, as the import writes several PostUp lines of a wg-quick file).
     */
    private static List<String> commands(Object raw) {
        List<String> commands = new ArrayList<>();
        for (String value : PropertyValues.of(raw)) {
            for (String line : value.split("\\r?\\n")) {
                if (!line.isBlank()) {
                    commands.add(line.strip());
                }
            }
        }
        return commands;
    }
}
