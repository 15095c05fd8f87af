package dev.wirehaven.api.policy;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import java.util.Objects;

/**
 * May {@link #identity()} (a site-to-site client) advertise {@link #subnet()}, so that the server
 * routes that subnet's traffic to it? Asked when the client sends its configuration (its allowed
 * IPs) and again when a policy changes.
 *
 * @param identity who asks
 * @param sessionId the session that asks; not blank
 * @param subnet the subnet that the client wants routed to it
 */
public record SubnetAdvertisement(Identity identity, String sessionId, IpPrefix subnet) implements AccessRequest {

    /** Rejects missing parts. */
    public SubnetAdvertisement {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(subnet, "subnet");
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("the session id is blank");
        }
    }
}
