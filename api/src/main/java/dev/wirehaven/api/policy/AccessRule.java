package dev.wirehaven.api.policy;

import dev.wirehaven.api.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * One rule of a {@link RuleSet}: flows that a session opens toward {@link #destination()} with
 * {@link #protocol()} to a port in {@link #firstPort()}..{@link #lastPort()} get {@link #verdict()}.
 * The server compiles rule sets into the data plane, where the first rule that matches a new flow
 * decides it; replies to an allowed flow pass without a rule.
 *
 * @param name a short name for counters and the audit log (what an operator reads beside "denied
 *        by"): letters, digits, {@code . _ : -}, at most 64 characters
 * @param verdict {@link Verdict#ALLOW}, {@link Verdict#DENY} or {@link Verdict#STEP_UP}; never
 *        {@link Verdict#NOT_APPLICABLE} (a rule that does not apply is left out)
 * @param destination the destination network; {@code 0.0.0.0/0} or {@code ::/0} for anywhere
 * @param protocol the IP protocol, or {@code null} for every protocol
 * @param firstPort with {@link #lastPort()}, the destination ports for TCP and UDP; both 0 for every
 *        port (and always 0 for protocols without ports)
 * @param lastPort the last port of the range, inclusive
 * @param stepUpMethods for {@link Verdict#STEP_UP}, the methods of which one more factor opens the
 *        destination; empty otherwise
 */
public record AccessRule(
        String name,
        Verdict verdict,
        IpPrefix destination,
        Protocol protocol,
        int firstPort,
        int lastPort,
        List<String> stepUpMethods) {

    /** The longest rule name. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Checks the parts against each other and copies the method list. */
    public AccessRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(destination, "destination");
        stepUpMethods = List.copyOf(Objects.requireNonNull(stepUpMethods, "stepUpMethods"));
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException(
                    "a rule name is 1 to " + MAX_NAME_LENGTH + " letters, digits or . _ : -, not '" + name + "'");
        }
        if (verdict == Verdict.NOT_APPLICABLE) {
            throw new IllegalArgumentException("a rule allows, denies or asks for a step-up");
        }
        if (verdict == Verdict.STEP_UP && stepUpMethods.isEmpty()) {
            throw new IllegalArgumentException("a STEP_UP rule must name at least one method");
        }
        if (verdict != Verdict.STEP_UP && !stepUpMethods.isEmpty()) {
            throw new IllegalArgumentException("only a STEP_UP rule names methods");
        }
        boolean anyPort = firstPort == 0 && lastPort == 0;
        if (!anyPort && (protocol == null || !protocol.hasPorts())) {
            throw new IllegalArgumentException(
                    "ports need TCP or UDP, not " + (protocol == null ? "any protocol" : protocol));
        }
        if (!anyPort && (firstPort < 1 || lastPort > 65535 || firstPort > lastPort)) {
            throw new IllegalArgumentException(
                    "a port range is 1..65535 with first <= last, not " + firstPort + "-" + lastPort);
        }
    }

    /** True when every port of the protocol matches (also for protocols without ports). */
    public boolean anyPort() {
        return firstPort == 0;
    }

    /**
     * Whether a flow of {@code flowProtocol} to {@code address} at {@code port} (0 for protocols
     * without ports) matches this rule.
     */
    public boolean matches(Protocol flowProtocol, java.net.InetAddress address, int port) {
        if (protocol != null && protocol != flowProtocol) {
            return false;
        }
        if (!destination.contains(address)) {
            return false;
        }
        return anyPort() || port >= firstPort && port <= lastPort;
    }
}
