package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.policy.Protocol;
import java.util.Locale;

/**
 * A protocol and a port range that a rule covers: {@code tcp/22}, {@code udp/60000-61000}, {@code tcp}
 * (every TCP port), {@code icmp}, or {@link #ANY} (every protocol). The parser has checked the ports;
 * {@link dev.wirehaven.api.policy.AccessRule} checks them again.
 *
 * @param protocol the protocol, or {@code null} for every protocol
 * @param firstPort the first port; 0 with {@code lastPort} 0 for every port
 * @param lastPort the last port, inclusive
 */
public record Service(Protocol protocol, int firstPort, int lastPort) {

    /** Every protocol and port: a rule that names none. */
    public static final Service ANY = new Service(null, 0, 0);

    /** As the policy file writes it. */
    @Override
    public String toString() {
        if (protocol == null) {
            return "any";
        }
        String name = protocol.name().toLowerCase(Locale.ROOT);
        if (firstPort == 0) {
            return name;
        }
        return name + "/" + (firstPort == lastPort ? Integer.toString(firstPort) : firstPort + "-" + lastPort);
    }
}
