package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import dev.wirehaven.wireguard.wgquick.Endpoint;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A peer that the interface's configuration lists (the {@value InterfaceSettings#PEERS} setting), as
 * opposed to the peers that the session flow or {@code wg set} add while the interface runs.
 *
 * <p>Written the way an operator already writes a peer on the command line, after
 * {@code wg set <interface> peer}: the public key, then any of {@code allowed-ips},
 * {@code endpoint}, {@code persistent-keepalive} and {@code preshared-key} (a file, as for
 * {@code wg}, so that the secret stays out of {@code etc/}). One line per peer reads like
 * {@code wg showconf} and fits one field of the web console.
 *
 * @param publicKey the peer's public key
 * @param allowedIps the prefixes routed to the peer, in the written order
 * @param endpoint where to reach the peer, or {@code null}: it is then learned when the peer writes
 * @param persistentKeepalive seconds, 0 for off
 * @param presharedKeyFile the file of the preshared key, or {@code null} for none
 */
public record StaticPeer(
        Key publicKey, List<Cidr> allowedIps, Endpoint endpoint, int persistentKeepalive, Path presharedKeyFile) {

    static final String ALLOWED_IPS = "allowed-ips";
    static final String ENDPOINT = "endpoint";
    static final String PERSISTENT_KEEPALIVE = "persistent-keepalive";
    static final String PRESHARED_KEY = "preshared-key";

    /** The words after the key, in the order in which {@link #toString()} writes them. */
    static final List<String> OPTIONS = List.of(ALLOWED_IPS, ENDPOINT, PERSISTENT_KEEPALIVE, PRESHARED_KEY);

    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\\.?");

    public StaticPeer {
        Objects.requireNonNull(publicKey, "publicKey");
        allowedIps = List.copyOf(allowedIps);
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + persistentKeepalive + " is outside 0..65535");
        }
    }

    /**
     * Reads one peer.
     *
     * @param baseDirectory what a relative {@code preshared-key} file is relative to (the data directory)
     * @throws IllegalArgumentException saying what is wrong and how to write it; the text of a key is never echoed
     */
    static StaticPeer parse(String entry, Path baseDirectory) {
        String[] words = entry.strip().split("\\s+");
        Key publicKey;
        try {
            publicKey = words[0].length() == 44 ? Key.fromBase64(words[0]) : null;
        } catch (IllegalArgumentException e) {
            publicKey = null;
        }
        if (publicKey == null) {
            throw new IllegalArgumentException("does not start with a peer's public key (44 base64 characters ending"
                    + " in '=', what 'wg pubkey' prints)");
        }
        List<Cidr> allowedIps = List.of();
        Endpoint endpoint = null;
        int keepalive = 0;
        Path presharedKeyFile = null;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < words.length; i += 2) {
            String option = words[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("'" + option + "' is not a peer option; after the public key come "
                        + String.join(", ", OPTIONS) + ", each followed by its value");
            }
            if (!seen.add(option)) {
                throw new IllegalArgumentException(option + " is given twice; keep one");
            }
            if (i + 1 >= words.length) {
                throw new IllegalArgumentException(option + " has no value");
            }
            String value = words[i + 1];
            switch (option) {
                case ALLOWED_IPS -> allowedIps = allowedIps(value);
                case ENDPOINT -> endpoint = endpoint(value);
                case PERSISTENT_KEEPALIVE -> keepalive = keepalive(value);
                case PRESHARED_KEY -> presharedKeyFile = file(value, baseDirectory);
                default -> throw new AssertionError(option);
            }
        }
        return new StaticPeer(publicKey, allowedIps, endpoint, keepalive, presharedKeyFile);
    }

    /** The configuration syntax, which {@link #parse} reads back to an equal peer. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(publicKey.toBase64());
        if (!allowedIps.isEmpty()) {
            out.append(' ').append(ALLOWED_IPS).append(' ');
            for (int i = 0; i < allowedIps.size(); i++) {
                out.append(i == 0 ? "" : ",").append(allowedIps.get(i));
            }
        }
        if (endpoint != null) {
            out.append(' ').append(ENDPOINT).append(' ').append(endpoint);
        }
        if (persistentKeepalive > 0) {
            out.append(' ').append(PERSISTENT_KEEPALIVE).append(' ').append(persistentKeepalive);
        }
        if (presharedKeyFile != null) {
            out.append(' ').append(PRESHARED_KEY).append(' ').append(presharedKeyFile);
        }
        return out.toString();
    }

    private static List<Cidr> allowedIps(String value) {
        List<Cidr> prefixes = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException(ALLOWED_IPS + " has an empty item; separate prefixes by one comma"
                        + " and no blank, e.g. 10.8.0.2/32,fd00:8::2/128");
            }
            try {
                prefixes.add(Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ALLOWED_IPS + " '" + item + "' is not an IP prefix; write e.g."
                        + " 10.8.0.2/32 or fd00:8::2/128");
            }
        }
        return prefixes;
    }

    private static Endpoint endpoint(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            host = close < 0 ? "" : value.substring(1, close);
            port = close < 0 ? "" : value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            host = colon < 0 || value.indexOf(':') != colon ? "" : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon + 1);
        }
        boolean validHost = host.indexOf(':') >= 0
                ? host.matches("[0-9A-Fa-f:.]+")
                : HOST_NAME.matcher(host).matches();
        if (!validHost || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(
                    ENDPOINT + " '" + value + "' is not host:port; write e.g. 192.0.2.7:51820,"
                            + " vpn.example.com:51820 or [2001:db8::7]:51820");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }

    private static int keepalive(String value) {
        if (value.equals("off")) {
            return 0;
        }
        if (value.matches("\\d{1,5}") && Integer.parseInt(value) <= 65535) {
            return Integer.parseInt(value);
        }
        throw new IllegalArgumentException(PERSISTENT_KEEPALIVE + " '" + value + "' is not a number of seconds;"
                + " write 1 to 65535 (25 keeps NAT mappings open) or off");
    }

    private static Path file(String value, Path baseDirectory) {
        try {
            Path path = Path.of(value);
            return baseDirectory == null
                    ? path
                    : baseDirectory.resolve(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(PRESHARED_KEY + " '" + value + "' is not a file path");
        }
    }
}
