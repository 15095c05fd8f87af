package dev.wirehaven.api.policy;

import dev.wirehaven.api.auth.Identity;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether an identity may reach a resource or advertise a subnet: a plugin registers an
 * implementation as an OSGi service, and the server asks every registered engine and combines
 * their verdicts as {@link Verdict} describes (the strictest wins; no applicable rule means deny).
 * So an engine answers only for what its rules cover and says {@link Decision#notApplicable()}
 * for the rest, which lets several engines (ports, time of day, device posture) work together.
 *
 * <p><b>Threads and time.</b> {@link #decide(AccessRequest)} is called concurrently from control
 * threads, never per packet: the server caches decisions for their time to live. It should answer
 * from memory; an engine that must consult an outside source keeps its own cache.
 *
 * <p>Register the service with {@link #NAME_PROPERTY} set to {@link #name()}, so that configuration
 * can select engines with a target filter.
 */
@ConsumerType
public interface PolicyEngine {

    /** Service property naming the engine; its value equals {@link #name()}. */
    String NAME_PROPERTY = "wirehaven.policy.name";

    /**
     * A short stable name, such as {@code port-allowlist}, written with each decision to the audit
     * log so that an operator sees which engine decided: lower case letters, digits and hyphens.
     */
    String name();

    /**
     * Decides {@code request}.
     *
     * @return the decision; never {@code null}. An exception counts as {@link Verdict#DENY} and is
     *         logged by the server.
     */
    Decision decide(AccessRequest request);

    /**
     * The rules that {@code identity}'s session {@code sessionId} gets, for the server to enforce on
     * every packet of the session without asking again: called when the session is configured, when
     * this engine's service properties change (announce a policy edit that way) and when the set's
     * {@link RuleSet#validUntil()} passes; never per packet.
     *
     * <p>An engine that returns rules answers {@link #decide(AccessRequest)} for a
     * {@link ResourceAccess} as its first matching rule does. The default returns empty: such an engine
     * decides resource requests and subnet advertisements only and has no say over traffic.
     *
     * @return the session's rules, or empty when this engine has no traffic rules
     * @since 1.1
     */
    default Optional<RuleSet> rules(Identity identity, String sessionId) {
        return Optional.empty();
    }
}
