package dev.wirehaven.client;

import dev.wirehaven.wireguard.IpAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A resource that the server opened through the tunnel for this connection's session, from
 * {@link Connection#requestAccess}: the server's policy allowed it (after a further factor, if it asked
 * for one), and its data plane lets the traffic through until {@link #until()}. Then the grant lapses and
 * the data plane closes the resource again; ask again for more time. A grant belongs to the session: after
 * a reconnect that needed a new session, ask again.
 *
 * @param protocol the protocol, as asked
 * @param destination the address the resource was granted for (a name asked for is resolved by the client)
 * @param port the port, 0 for {@link AccessProtocol#ICMP}
 * @param until when the grant lapses
 * @param reason why the server granted it (the deciding rule), for a person to read; text from the server,
 *        which a terminal shows only with its control characters removed; may be empty
 * @since 2.2
 */
public record AccessGrant(AccessProtocol protocol, InetAddress destination, int port, Instant until, String reason) {

    /** Validates. */
    public AccessGrant {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(until, "until");
        reason = reason == null ? "" : reason;
        if (protocol.hasPorts() ? port < 1 || port > 65535 : port != 0) {
            throw new IllegalArgumentException(
                    protocol.hasPorts() ? "port " + port + " is not in 1..65535" : "icmp has no port: 0, not " + port);
        }
    }

    /**
     * The resource as people write it: {@code 10.20.0.5:22}, {@code [fd00::5]:22}, or the address alone
     * for ICMP.
     */
    public String target() {
        String host = IpAddresses.format(destination);
        if (!protocol.hasPorts()) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code tcp 10.20.0.5:22 until 2030-01-01T12:00:00Z}. */
    @Override
    public String toString() {
        return protocol.wireName() + " " + target() + " until " + until + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
