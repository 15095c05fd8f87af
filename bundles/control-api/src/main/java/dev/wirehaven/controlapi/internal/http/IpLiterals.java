package dev.wirehaven.controlapi.internal.http;

/**
 * Whether the container's text for a client address is an IP literal (IPv4, or IPv6 with an optional
 * {@code %zone}), so that it is parsed as one and never looked up as a host name. A plain scan rather
 * than a regular expression: it runs on every request, and its cost stays linear whatever the text.
 */
final class IpLiterals {

    private IpLiterals() {}

    /** Hex digits, dots and colons, then optionally '%' and a zone of letters, digits, '.', '_' or '-'. */
    static boolean isIpLiteral(String text) {
        if (text == null) {
            return false;
        }
        int zone = text.indexOf('%');
        String address = zone < 0 ? text : text.substring(0, zone);
        if (address.isEmpty() || !address.chars().allMatch(IpLiterals::isAddressChar)) {
            return false;
        }
        if (zone < 0) {
            return true;
        }
        String name = text.substring(zone + 1);
        return !name.isEmpty() && name.chars().allMatch(IpLiterals::isZoneChar);
    }

    private static boolean isAddressChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    private static boolean isZoneChar(int c) {
        return (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '.'
                || c == '_'
                || c == '-';
    }
}
