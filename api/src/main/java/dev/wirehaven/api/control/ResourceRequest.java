package dev.wirehaven.api.control;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Client to server ({@code POST /api/v1/sessions/{id}/access}): the user asks to reach one resource
 * through the tunnel (seed UC2, "request resource"). The server checks its policy, may ask for a
 * further factor, and answers with a {@link ResourceGrant}.
 *
 * @param protocol {@code tcp}, {@code udp} or {@code icmp}
 * @param destination a literal IPv4 or IPv6 address (the client resolves names; the server never does)
 * @param port 1..65535 for tcp and udp, 0 for icmp
 * @since 1.1
 */
public record ResourceRequest(String protocol, String destination, int port) {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Validates the parts against each other. */
    public ResourceRequest {
        if (protocol == null || !protocol.matches("(?i)tcp|udp|icmp")) {
            throw new IllegalArgumentException("protocol is not tcp, udp or icmp");
        }
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (destination == null || !LITERAL.matcher(destination).matches()) {
            throw new IllegalArgumentException("destination is not a literal IP address");
        }
        boolean ports = !protocol.equals("icmp");
        if (ports && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port is not in 1..65535");
        }
        if (!ports && port != 0) {
            throw new IllegalArgumentException("icmp has no port: send 0");
        }
    }
}
