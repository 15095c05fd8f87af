package dev.wirehaven.api.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's view of a policy engine that reads its policy from a file: what is in force, why the
 * file as it is now is not (if it is not), whether a candidate text would be accepted, and which rule
 * decides a flow. Nothing here changes the policy: the operator edits the file, and the engine loads
 * each valid edit by itself. Registered by the engine's bundle with {@link PolicyEngine#NAME_PROPERTY}
 * naming the engine; the web console and similar tools use it.
 *
 * @since 1.2
 */
@ProviderType
public interface PolicyAdministration {

    /** The engine's name, as {@link PolicyEngine#name()} gives it. */
    String engine();

    /** The policy in force now. */
    PolicyInForce inForce();

    /**
     * Why the file as it is now is not in force: its mistakes, or why it was refused unread. Empty
     * when the file in force is the file as it is (or there is no file). The policy in force stays
     * until a valid file replaces it.
     */
    Optional<PolicyRejection> rejection();

    /**
     * Checks {@code text} as the engine would check the file, and applies nothing.
     *
     * @param text a candidate content of the policy file
     * @return its mistakes in line order, each naming the policy file as its source; empty when the
     *         engine would put it in force. The file's permissions are not checked here.
     */
    List<PolicyProblem> validate(String text);

    /**
     * Which rule of the policy in force decides a flow now, as the engine decides it for a session.
     *
     * @param user the user name, as an auth provider gives it
     * @param groups the user's groups
     * @param destination where the flow goes
     * @param protocol its protocol
     * @param port its destination port, 1 to 65535, for a protocol that {@link Protocol#hasPorts() has
     *        ports}; 0 otherwise
     * @throws IllegalArgumentException when the port does not fit the protocol
     */
    PolicyCheck check(String user, Set<String> groups, InetAddress destination, Protocol protocol, int port);
}
