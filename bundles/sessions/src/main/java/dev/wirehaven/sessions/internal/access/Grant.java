package dev.wirehaven.sessions.internal.access;

import dev.wirehaven.api.policy.Protocol;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A resource that a session was granted for a time (seed UC2: request resource, access check, confirm
 * policy, grant access): one destination and port that a {@code STEP_UP} rule holds back until the
 * user passed the further factor. The data plane opens it while the grant lasts.
 *
 * @param protocol the protocol of the granted flows
 * @param destination the granted address
 * @param port the granted port, 0 for protocols without ports
 * @param until when the grant lapses
 */
public record Grant(Protocol protocol, InetAddress destination, int port, Instant until) {

    public Grant {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(until, "until");
    }

    /** Whether the grant still holds at {@code now}. */
    public boolean holdsAt(Instant now) {
        return now.isBefore(until);
    }
}
