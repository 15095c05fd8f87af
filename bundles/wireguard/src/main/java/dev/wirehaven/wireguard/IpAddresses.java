package dev.wirehaven.wireguard;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * IP addresses in the text form people and WireGuard tools write: the JDK prints
 * {@code fd00:0:0:0:0:0:0:1}, {@code wg} and configuration files say {@code fd00::1} (RFC 5952:
 * lower case, the longest run of two or more zero groups as "::", the first if tied; an
 * IPv4-mapped address keeps its dotted tail). The scope of a link-local address is not printed.
 */
public final class IpAddresses {

    private IpAddresses() {}

    /** The canonical text of {@code address}, without a scope. */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        if (bestStart == 0 && bestLength == 5 && groups[5] == 0xffff) {
            sb.append("::ffff:");
            sb.append(b[12] & 0xff)
                    .append('.')
                    .append(b[13] & 0xff)
                    .append('.')
                    .append(b[14] & 0xff)
                    .append('.')
                    .append(b[15] & 0xff);
            return sb.toString();
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
