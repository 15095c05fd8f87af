package dev.wirehaven.api.policy;

import dev.wirehaven.api.auth.Identity;
import java.net.InetAddress;
import java.util.Objects;

/**
 * May {@link #identity()} open flows of {@link #protocol()} to {@link #destination()} at
 * {@link #port()}? Asked when a session's access is set up and when a policy changes, not per
 * packet: the server caches the decision for its {@linkplain Decision#timeToLive() time to live}.
 *
 * @param identity who asks
 * @param sessionId the session that asks; not blank
 * @param protocol the IP protocol
 * @param destination the destination address (a literal address, never a name)
 * @param port 1..65535 when the protocol {@linkplain Protocol#hasPorts() has ports}, otherwise 0
 */
public record ResourceAccess(Identity identity, String sessionId, Protocol protocol, InetAddress destination, int port)
        implements AccessRequest {

    /** Validates the port against the protocol. */
    public ResourceAccess {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("the session id is blank");
        }
        if (protocol.hasPorts() && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(protocol + " needs a port in 1..65535, not " + port);
        }
        if (!protocol.hasPorts() && port != 0) {
            throw new IllegalArgumentException(protocol + " has no ports; the port must be 0, not " + port);
        }
    }
}
