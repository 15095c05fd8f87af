package dev.wirehaven.api.policy;

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
}
