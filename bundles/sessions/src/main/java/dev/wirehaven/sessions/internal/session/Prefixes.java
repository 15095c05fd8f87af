package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.wireguard.IpAddresses;
import java.util.regex.Pattern;

/**
 * Parses addresses and prefixes from clients and configuration. {@link IpPrefix#parse} lets through
 * text made only of hex digits and dots (such as {@code face} or {@code be.ef}) to
 * {@link java.net.InetAddress#getByName}, which would look such a word up in DNS; here only a dotted
 * quad or text with a colon reaches it, so that no input ever causes a lookup.
 */
final class Prefixes {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private Prefixes() {
    }

    /**
     * {@code address/length}, or a bare address as a host prefix.
     *
     * @throws IllegalArgumentException when the text is not a literal IP prefix
     */
    static IpPrefix parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (!DOTTED_QUAD.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
        if (slash >= 0 && !s.substring(slash + 1).matches("\\d{1,3}")) {
            throw new IllegalArgumentException("not an IP prefix: " + text);
        }
        return IpPrefix.parse(s);
    }

    /** True when {@code text} is a literal IP address without a length. */
    static boolean isAddress(String text) {
        if (text.contains("/")) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code address/length} with the address as RFC 5952 writes it (compressed IPv6), as {@code wg} shows it. */
    static String text(IpPrefix prefix) {
        return IpAddresses.format(prefix.address()) + "/" + prefix.prefixLength();
    }

    /** True when the two prefixes share an address. */
    static boolean overlap(IpPrefix a, IpPrefix b) {
        return a.isIpv4() == b.isIpv4() && (a.contains(b.address()) || b.contains(a.address()));
    }
}
