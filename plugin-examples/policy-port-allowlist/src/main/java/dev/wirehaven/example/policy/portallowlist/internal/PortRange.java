package dev.wirehaven.example.policy.portallowlist.internal;

import dev.wirehaven.api.policy.Protocol;
import java.util.Locale;

/**
 * An open port or port range of one protocol, written {@code tcp/22} or {@code udp/60000-61000}.
 *
 * @param protocol TCP or UDP
 * @param from first port, 1..65535
 * @param to last port, from..65535
 */
record PortRange(Protocol protocol, int from, int to) {

    PortRange {
        if (!protocol.hasPorts()) {
            throw new IllegalArgumentException("only tcp and udp have ports");
        }
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("ports must be 1..65535 with the first not above the last");
        }
    }

    static PortRange parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not <tcp|udp>/<port>[-<port>]");
        }
        Protocol protocol = switch (t.substring(0, slash)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw new IllegalArgumentException("'" + text + "' names neither tcp nor udp");
        };
        String ports = t.substring(slash + 1);
        int dash = ports.indexOf('-');
        try {
            int from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
            return new PortRange(protocol, from, to);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a port that is not a number", e);
        }
    }

    boolean covers(Protocol p, int port) {
        return protocol == p && port >= from && port <= to;
    }

    @Override
    public String toString() {
        return protocol.name().toLowerCase(Locale.ROOT) + "/" + (from == to ? Integer.toString(from) : from + "-" + to);
    }
}
