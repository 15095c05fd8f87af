package dev.wirehaven.example.policy.portallowlist.internal;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.AccessRequest;
import dev.wirehaven.api.policy.Decision;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.ResourceAccess;
import dev.wirehaven.api.policy.RuleSet;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A {@link PolicyEngine} that opens listed TCP and UDP ports per group.
 *
 * <ul>
 * <li>a user in at least one listed group: ALLOW when one of the user's listed groups opens the
 *     port, DENY otherwise;</li>
 * <li>a user in no listed group, any protocol other than TCP and UDP, and subnet advertisements:
 *     NOT_APPLICABLE, so that other engines decide (and if none does, the server denies).</li>
 * </ul>
 *
 * <p>Answering NOT_APPLICABLE rather than DENY for what the rules do not mention is what lets this
 * engine sit beside others: the server lets any DENY win, so an engine that denied everything it does
 * not know would veto all the others. Without configuration it has no rules and is never applicable.
 *
 * <p>The same answers reach the data plane through {@link #rules}: the server compiles them for each
 * session and enforces them on every packet, so that a port that decide() denies is closed in the
 * tunnel, not only refused when asked. A configuration change re-activates the component (a new
 * service), and the server asks the new one.
 */
@Component(
        service = PolicyEngine.class,
        configurationPid = PortAllowlistPolicy.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = PolicyEngine.NAME_PROPERTY + "=" + PortAllowlistPolicy.NAME)
@Designate(ocd = PortAllowlistPolicy.Config.class)
public final class PortAllowlistPolicy implements PolicyEngine {

    /** The configuration PID: {@code etc/dev.wirehaven.example.policy.portallowlist.cfg}. */
    public static final String PID = "dev.wirehaven.example.policy.portallowlist";
    /** The engine's name in the audit log. */
    public static final String NAME = "port-allowlist";

    @ObjectClassDefinition(
            name = "Wirehaven example: port allowlist policy",
            description = "TCP and UDP ports that members of a group may reach through the tunnel.")
    public @interface Config {
        @AttributeDefinition(
                name = "Rules",
                description = "One entry per group: <group>:<tcp|udp>/<port>[-<port>],... "
                        + "for example developers:tcp/22,tcp/443,udp/53")
        String[] rules() default {};

        @AttributeDefinition(
                name = "Decision lifetime (seconds)",
                description = "How long the server may reuse a decision before asking again.",
                min = "0")
        long ttl_seconds() default 300;
    }

    private final Allowlist allowlist;
    private final Duration timeToLive;

    @Activate
    public PortAllowlistPolicy(Config config) {
        this(List.of(config.rules()), Duration.ofSeconds(config.ttl_seconds()));
    }

    PortAllowlistPolicy(List<String> rules, Duration timeToLive) {
        if (timeToLive.isNegative()) {
            throw new IllegalArgumentException("ttl.seconds in " + PID + " is negative");
        }
        try {
            this.allowlist = Allowlist.parse(rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage(), e);
        }
        this.timeToLive = timeToLive;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The session's rules: see {@link AllowlistRules}. A user in no listed group gets an empty rule set
     * rather than no rule set: this engine does have traffic rules, none of which applies to this user, and
     * it answers in the same form for every user (every flow of the user is NOT_APPLICABLE either way).
     * The rules hold until the configuration changes, so there is no {@code validUntil}.
     */
    @Override
    public Optional<RuleSet> rules(Identity identity, String sessionId) {
        return Optional.of(AllowlistRules.of(allowlist, identity.groups()));
    }

    @Override
    public Decision decide(AccessRequest request) {
        if (!(request instanceof ResourceAccess access) || !access.protocol().hasPorts()) {
            return Decision.notApplicable();
        }
        Set<String> groups = access.identity().groups();
        if (!allowlist.governsAny(groups)) {
            return Decision.notApplicable();
        }
        String flow = access.protocol().name().toLowerCase(Locale.ROOT) + "/" + access.port();
        Optional<Map.Entry<String, PortRange>> opening = allowlist.opening(groups, access.protocol(), access.port());
        if (opening.isPresent()) {
            return Decision.allow(
                    flow + " is open to group " + opening.get().getKey() + " ("
                            + opening.get().getValue() + ")",
                    timeToLive);
        }
        Set<String> listed = new TreeSet<>(groups);
        listed.removeIf(g -> !allowlist.governsAny(Set.of(g)));
        return Decision.deny(flow + " is not open to groups " + listed, timeToLive);
    }
}
