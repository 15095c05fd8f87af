package dev.wirehaven.sessions.internal.session;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.SubnetAdvertisement;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.sessions.internal.plugins.BoundPlugin;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which site-to-site subnets a client may route to itself, by asking every bound policy
 * engine and combining their verdicts as {@link Verdict} says: any DENY refuses, a STEP_UP refuses
 * too (the flow has no step-up in the middle of a configuration), an ALLOW admits. When no engine
 * has a rule, the operator's {@code routes.advertisable} decides, and it is empty by default: a
 * missing policy never lets a client take traffic for a subnet.
 */
final class SubnetPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SubnetPolicy.class);

    private final Supplier<List<BoundPlugin<PolicyEngine>>> engines;

    SubnetPolicy(Supplier<List<BoundPlugin<PolicyEngine>>> engines) {
        this.engines = engines;
    }

    /** @throws FlowException FORBIDDEN naming the first subnet that may not be advertised, and why */
    void check(Identity identity, String sessionId, IpPrefix subnet, List<IpPrefix> advertisable) throws FlowException {
        String text = Prefixes.text(subnet);
        boolean allowed = false;
        Refusal stepUp = null;
        for (BoundPlugin<PolicyEngine> engine : engines.get()) {
            Decision d = decide(engine, new SubnetAdvertisement(identity, sessionId, subnet));
            switch (d.verdict()) {
                case DENY ->
                    throw new FlowException(
                            FlowFailure.FORBIDDEN,
                            "Advertising " + text + " is not allowed: " + d.reason() + " (policy " + engine.name()
                                    + ")");
                case STEP_UP -> stepUp = new Refusal(engine.name(), d);
                case ALLOW -> allowed = true;
                case NOT_APPLICABLE -> {
                    // this engine leaves the subnet to the others
                }
            }
        }
        if (stepUp != null) {
            throw new FlowException(
                    FlowFailure.FORBIDDEN,
                    "Advertising " + text + " needs another factor ("
                            + String.join(", ", stepUp.decision().stepUpMethods()) + "): "
                            + stepUp.decision().reason()
                            + " (policy " + stepUp.engine() + "); leave it out, or ask the operator");
        }
        if (!allowed && advertisable.stream().noneMatch(a -> within(subnet, a))) {
            throw new FlowException(
                    FlowFailure.FORBIDDEN,
                    "Advertising " + text + " is not allowed: no policy allows"
                            + " it and it is not among the server's advertisable subnets; leave it out, or ask the operator");
        }
    }

    private static Decision decide(BoundPlugin<PolicyEngine> engine, SubnetAdvertisement request) {
        try {
            Decision d = engine.service().decide(request);
            if (d != null) {
                return d;
            }
            LOG.warn("Policy engine {} answered nothing; counted as DENY", engine.describe());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Policy engine {} threw {}; counted as DENY", engine.describe(), e.toString());
        }
        return Decision.deny("the policy engine failed", java.time.Duration.ZERO);
    }

    /** True when {@code inner} lies wholly inside {@code outer}. */
    private static boolean within(IpPrefix inner, IpPrefix outer) {
        return inner.isIpv4() == outer.isIpv4()
                && outer.prefixLength() <= inner.prefixLength()
                && outer.contains(inner.address());
    }

    private record Refusal(String engine, Decision decision) {}
}
