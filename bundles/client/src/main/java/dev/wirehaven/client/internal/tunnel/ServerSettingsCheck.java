package dev.wirehaven.client.internal.tunnel;

import dev.wirehaven.api.control.Gateway;
import dev.wirehaven.wireguard.Cidr;
import dev.wirehaven.wireguard.wgquick.InterfaceAddress;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a server may tell the client to put on the host, checked before anything is applied: every
 * address, prefix, DNS server and search domain of a server config or a policy update goes through
 * here (by {@link TunnelSettings}, the one place where they become the client's types), so that a
 * hostile or broken server is refused with one clear message and the host is left as it was.
 *
 * <ul>
 *   <li>A route is the server's to choose, a full tunnel ({@code 0.0.0.0/0}, {@code ::/0}) included, even
 *       when the person hoped for a split one: that is what the server's administrator decides. But a
 *       prefix inside link-local ({@code 169.254.0.0/16}, {@code fe80::/10}), multicast
 *       ({@code 224.0.0.0/4}, {@code ff00::/8}), loopback ({@code 127.0.0.0/8}, {@code ::1}) or
 *       "this network" ({@code 0.0.0.0/8}) would take the host's own local traffic (DHCP, neighbour
 *       discovery, mDNS, its services on loopback) into the tunnel; a host route to the client's own
 *       tunnel address serves nothing. A prefix with host bits set ({@code 10.1.2.3/24}) is a mistake or
 *       a trick, not a route; a prefix length beyond 32 or 128 is not a prefix.
 *   <li>A DNS server must be one the tunnel can reach: not link-local, multicast, loopback or unspecified
 *       (a loopback server would hand the host's resolving to whatever listens there).
 *   <li>A search domain is a DNS name: labels of 1 to 63 letters, digits, hyphens and underscores, at most
 *       253 characters; so no control or bidi character can reach {@code resolv.conf} or the terminal.
 *   <li>Counts are bounded ({@value #MAX_ROUTES} prefixes, {@value #MAX_DNS} DNS entries,
 *       {@value #MAX_ADDRESSES} addresses): beyond them no honest configuration goes, and each prefix
 *       is an {@code ip} command.
 *   <li>The MTU is 1280..65535: IPv6's minimum link MTU (RFC 8200) to the largest IP packet.
 *   <li>Other gateways of a cluster ({@link #gateways}): at most {@value #MAX_GATEWAYS} (each one tried costs
 *       a bounded wait during a failover), each key once, an endpoint the tunnel can take and an https
 *       control URL with a host. The api records already refuse control characters, malformed keys and
 *       other URLs; this is the client's own line, whatever made the records. A control URL elsewhere
 *       cannot get the token: the pinned key is checked on every node.
 * </ul>
 *
 * Messages quote the server's values with control and format characters shown as {@code <U+XXXX>}.
 */
public final class ServerSettingsCheck {

    static final int MAX_ROUTES = 1000;
    static final int MAX_DNS = 32;
    static final int MAX_ADDRESSES = 16;
    static final int MIN_MTU = 1280;
    static final int MAX_MTU = 65535;
    static final int MAX_GATEWAYS = 16;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    /** Prefixes no server may route into the tunnel (a prefix inside one of them), with why. */
    private static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden(Cidr.parse("169.254.0.0/16"), "link-local"),
            new Forbidden(Cidr.parse("fe80::/10"), "link-local"),
            new Forbidden(Cidr.parse("224.0.0.0/4"), "multicast"),
            new Forbidden(Cidr.parse("ff00::/8"), "multicast"),
            new Forbidden(Cidr.parse("127.0.0.0/8"), "loopback"),
            new Forbidden(Cidr.parse("::1/128"), "loopback"),
            new Forbidden(Cidr.parse("0.0.0.0/8"), "'this network' (0.0.0.0/8)"));

    private record Forbidden(Cidr range, String why) {}

    private ServerSettingsCheck() {}

    /** The MTU of a server config. */
    public static void mtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("the server's MTU " + mtu + " is outside " + MIN_MTU + ".." + MAX_MTU
                    + " (IPv6's minimum to the" + " largest IP packet)");
        }
    }

    /** The client's own tunnel address as the server gives it; returns it parsed. */
    public static InterfaceAddress ownAddress(String text) {
        InterfaceAddress a;
        try {
            a = InterfaceAddress.parse(bounded("tunnel address", text, 64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the server's tunnel address " + quote(text) + " is not an address/prefix", e);
        }
        String why = unusable(a.address());
        if (why != null) {
            throw new IllegalArgumentException("the server's tunnel address " + quote(text) + " is " + why);
        }
        return a;
    }

    /** How many entries of {@code what} a server may give at most. */
    public static void count(String what, List<?> values, int max) {
        if (values.size() > max) {
            throw new IllegalArgumentException(
                    "the server gives " + values.size() + " " + what + "; more than " + max + " are refused");
        }
    }

    /**
     * A prefix the server routes into the tunnel ({@code what}: route or subnet), checked against the
     * client's own tunnel addresses {@code own}; returns it parsed.
     */
    public static Cidr prefix(String what, String text, List<InetAddress> own) {
        bounded(what, text, 64);
        Cidr c;
        InetAddress written;
        try {
            c = Cidr.parse(text);
            written = InterfaceAddress.parse(text).address();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the server's " + what + " " + quote(text) + " is not an IP prefix"
                            + " (an address and a length of 0 to 32, or 0 to 128 for IPv6)",
                    e);
        }
        if (!Arrays.equals(written.getAddress(), c.address().getAddress())) {
            throw new IllegalArgumentException("the server's " + what + " " + quote(text) + " has host bits set (the"
                    + " prefix would be " + c + "); refused as a mistake or a trick");
        }
        for (Forbidden f : FORBIDDEN) {
            if (c.prefixLength() >= f.range().prefixLength() && inside(f.range(), c.address())) {
                throw new IllegalArgumentException("the server's " + what + " " + quote(text) + " is " + f.why() + " ("
                        + f.range() + "), which stays on the host's own links");
            }
        }
        for (InetAddress a : own) {
            if (c.prefixLength() == a.getAddress().length * 8 && c.address().equals(a)) {
                throw new IllegalArgumentException(
                        "the server's " + what + " " + quote(text) + " is the client's own tunnel address");
            }
        }
        return c;
    }

    /** A DNS server the tunnel's settings name; returns it. */
    public static InetAddress dnsServer(String text, InetAddress a) {
        String why = unusable(a);
        if (why != null) {
            throw new IllegalArgumentException("the server's DNS server " + quote(text) + " is " + why);
        }
        return a;
    }

    /** A DNS search domain; returns it. */
    public static String searchDomain(String text) {
        String d = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        boolean ok = !d.isEmpty() && d.length() <= 253;
        if (ok) {
            for (String label : d.split("\\.", -1)) {
                ok &= LABEL.matcher(label).matches();
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("the server's DNS entry " + quote(text) + " is neither an address nor a"
                    + " search domain (labels of 1 to 63 letters, digits, '-' and '_', at most 253 characters)");
        }
        return text;
    }

    /** The other gateways a server config or policy update lists; returns them as they are. */
    public static List<Gateway> gateways(List<Gateway> gateways) {
        count("gateways", gateways, MAX_GATEWAYS);
        Set<String> keys = new HashSet<>();
        for (Gateway g : gateways) {
            if (g == null) {
                throw new IllegalArgumentException("the server's gateway list has an empty entry");
            }
            if (!keys.add(g.publicKey())) {
                throw new IllegalArgumentException("the server lists the gateway key " + g.publicKey() + " twice");
            }
            try {
                ServerEndpoint.parse(g.endpoint());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "the server's gateway " + quote(g.name()) + " has an endpoint the" + " tunnel cannot take: "
                                + e.getMessage(),
                        e);
            }
            URI u;
            try {
                u = URI.create(g.controlUrl());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "the server's gateway " + quote(g.name()) + " has no usable control URL", e);
            }
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("the server's gateway " + quote(g.name()) + " has the control URL "
                        + quote(g.controlUrl()) + ", which is not https://host[:port]");
            }
        }
        return List.copyOf(gateways);
    }

    /** Why {@code a} cannot be a tunnel address or a DNS server, or {@code null}. */
    private static String unusable(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        return null;
    }

    private static boolean inside(Cidr range, InetAddress a) {
        return range.address().getAddress().length == a.getAddress().length
                && new Cidr(a, range.prefixLength()).equals(range);
    }

    private static String bounded(String what, String text, int max) {
        if (text == null || text.length() > max) {
            throw new IllegalArgumentException("the server's " + what + " "
                    + (text == null ? "is missing" : "is longer than " + max + " characters: " + quote(text)));
        }
        return text;
    }

    /**
     * A server's value in a message: quoted, control and format characters (bidi overrides among them) as
     * {@code <U+XXXX>}, cut after 80 characters.
     */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        text.codePoints().limit(80).forEach(c -> {
            int t = Character.getType(c);
            if (t == Character.CONTROL
                    || t == Character.FORMAT
                    || t == Character.UNASSIGNED
                    || t == Character.SURROGATE
                    || t == Character.LINE_SEPARATOR
                    || t == Character.PARAGRAPH_SEPARATOR
                    || t == Character.PRIVATE_USE) {
                b.append(String.format(Locale.ROOT, "<U+%04X>", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(text.codePointCount(0, text.length()) > 80 ? "...'" : "'")
                .toString();
    }
}
