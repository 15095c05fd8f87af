package dev.wirehaven.client;

import java.util.Locale;

/**
 * The protocol of a resource asked for with {@link Connection#requestAccess}: a TCP or UDP port, or
 * ICMP to a host (which has no port).
 *
 * @since 2.2
 */
public enum AccessProtocol {
    /** A TCP port. */
    TCP,
    /** A UDP port. */
    UDP,
    /** ICMP (ping) to a host; a request for it has port 0. */
    ICMP;

    /** Whether a request for this protocol names a port (1..65535); ICMP does not (0). */
    public boolean hasPorts() {
        return this != ICMP;
    }

    /** The name in the control protocol and on the command line: {@code tcp}, {@code udp} or {@code icmp}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The protocol of a control-protocol name, in any case.
     *
     * @throws IllegalArgumentException if it is not {@code tcp}, {@code udp} or {@code icmp}
     */
    public static AccessProtocol of(String wireName) {
        for (AccessProtocol p : values()) {
            if (p.wireName().equalsIgnoreCase(wireName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + wireName + "' is not tcp, udp or icmp");
    }
}
