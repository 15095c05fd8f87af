package dev.wirehaven.wireguard.wgquick;

import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.Key;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value syntax of wg-quick and wg(8) files, one method per kind of value. Each failure is an
 * {@link IllegalArgumentException} whose message says what is wrong and how to fix it; the parser
 * adds the file, line and key. Key material is never echoed into a message.
 */
final class WgQuickValues {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\\.?");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,10}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]+");

    private WgQuickValues() {}

    /** A base64 key as {@code wg genkey} prints it; {@code howToMakeOne} is the fix to suggest. */
    static Key key(String value, String howToMakeOne) {
        if (value.length() == 44 && value.charAt(43) == '=') {
            try {
                return Key.fromBase64(value);
            } catch (IllegalArgumentException e) {
                // falls through to the one message below, which does not echo the (possibly secret) value
            }
        }
        throw new IllegalArgumentException("not a base64 WireGuard key (44 characters ending in '='); " + howToMakeOne);
    }

    /**
     * An IP literal, never a DNS lookup: IPv4 is parsed here (the JDK may take a malformed dotted
     * quad for a host name and look it up), IPv6 by the JDK, which parses anything with a colon
     * as a literal.
     */
    static InetAddress ipLiteral(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        throw new UnknownHostException(text);
                    }
                    b[i] = (byte) octet;
                }
                return InetAddress.getByAddress(b);
            }
            if (IPV6.matcher(text).matches()) {
                return InetAddress.getByName(text);
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }

    /** One {@code Address} item: {@code 10.0.0.2/24}; a bare address is a host address (/32, /128). */
    static InterfaceAddress interfaceAddress(String item) {
        int slash = item.indexOf('/');
        InetAddress address;
        try {
            address = ipLiteral(slash < 0 ? item : item.substring(0, slash).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + item + "' is not an address with a prefix length; write e.g. 10.0.0.2/24 or fd00::2/64");
        }
        int max = address.getAddress().length * 8;
        int length =
                slash < 0 ? max : prefixLength(item, item.substring(slash + 1).trim(), max);
        return new InterfaceAddress(address, length);
    }

    /** One {@code AllowedIPs} item: {@code 10.0.0.0/24}; a bare address is a host route. */
    static Cidr prefix(String item) {
        int slash = item.indexOf('/');
        InetAddress address;
        try {
            address = ipLiteral(slash < 0 ? item : item.substring(0, slash).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + item + "' is not an IP prefix; write e.g. 10.0.0.0/24, 10.0.0.2/32 or ::/0");
        }
        int max = address.getAddress().length * 8;
        int length =
                slash < 0 ? max : prefixLength(item, item.substring(slash + 1).trim(), max);
        return new Cidr(address, length);
    }

    private static int prefixLength(String item, String text, int max) {
        if (DECIMAL.matcher(text).matches()) {
            long n = Long.parseLong(text);
            if (n <= max) {
                return (int) n;
            }
        }
        throw new IllegalArgumentException("'" + item + "' has prefix length '" + text + "'; it must be 0.." + max);
    }

    /** An unsigned number in {@code min..max}. */
    static int number(String value, int min, int max, String what) {
        if (DECIMAL.matcher(value).matches()) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return (int) n;
            }
        }
        throw new IllegalArgumentException(
                "'" + value + "' is not " + what + " (a whole number " + min + ".." + max + ")");
    }

    /** {@code ListenPort}: 0..65535, where 0 means a random port. */
    static int listenPort(String value) {
        return number(value, 0, 65535, "a UDP port");
    }

    /** {@code PersistentKeepalive}: {@code off} (0) or 1..65535 seconds. */
    static int keepalive(String value) {
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        return number(value, 0, 65535, "an interval in seconds; use 25 to keep NAT mappings open, or off");
    }

    /** {@code MTU}: 68 is the least IPv4 allows (RFC 791); an IPv6 tunnel needs at least 1280. */
    static int mtu(String value) {
        return number(value, 68, 65535, "an MTU; WireGuard's default is 1420");
    }

    /** {@code FwMark}: {@code off}, decimal or {@code 0x} hex, 32 bits; 0 means off. */
    static long fwMark(String value) {
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        try {
            long n = value.regionMatches(true, 0, "0x", 0, 2)
                    ? Long.parseLong(value.substring(2), 16)
                    : Long.parseLong(value);
            if (n >= 0 && n <= 0xFFFF_FFFFL) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "'" + value + "' is not a 32-bit firewall mark; write a number such as 51820 or 0xca6c, or off");
    }

    /** {@code Table}: {@code auto}, {@code off}, or a routing table number or name. */
    static String table(String value) {
        if (TABLE.matcher(value).matches()) {
            String lower = value.toLowerCase(Locale.ROOT);
            return lower.equals("auto") || lower.equals("off") ? lower : value;
        }
        throw new IllegalArgumentException("'" + value
                + "' is not a routing table; write auto, off, a table number or a name from /etc/iproute2/rt_tables");
    }

    /** {@code SaveConfig}: {@code true} or {@code false}, as wg-quick's read_bool takes them. */
    static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("'" + value + "' is not a boolean; write true or false");
    }

    /**
     * One {@code DNS} item. wg-quick tells servers from search domains by shape (digits and dots,
     * or a colon, is a server), so a mistyped address is reported rather than taken as a domain.
     */
    static boolean looksLikeDnsServer(String item) {
        return item.matches("[0-9.]+") || item.indexOf(':') >= 0;
    }

    static String searchDomain(String item) {
        if (HOST_NAME.matcher(item).matches()) {
            return item;
        }
        throw new IllegalArgumentException("'" + item + "' is neither a DNS server address nor a search domain");
    }

    /** {@code Endpoint}: {@code host:port}, {@code 192.0.2.1:51820} or {@code [2001:db8::1]:51820}. */
    static Endpoint endpoint(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(
                        "'" + value + "' is not host:port; write an IPv6 endpoint as [2001:db8::1]:51820");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("'" + host + "' in brackets is not an IPv6 address");
            }
            ipLiteral(host);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(
                        "'" + value + "' has no port; write host:port, e.g. vpn.example.com:51820");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "'" + value + "' is an IPv6 address without brackets; write [" + host + "]:" + port);
            }
            if (host.matches("[0-9.]+")) {
                ipLiteral(host);
            } else if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a host name");
            }
        }
        return new Endpoint(host, number(port, 1, 65535, "a UDP port"));
    }
}
