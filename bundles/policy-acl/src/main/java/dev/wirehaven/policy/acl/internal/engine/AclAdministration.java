package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.policy.PolicyAdministration;
import dev.wirehaven.api.policy.PolicyCheck;
import dev.wirehaven.api.policy.PolicyEngine;
import dev.wirehaven.api.policy.PolicyInForce;
import dev.wirehaven.api.policy.PolicyProblem;
import dev.wirehaven.api.policy.PolicyRejection;
import dev.wirehaven.api.policy.PolicyStatement;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.language.InvalidPolicyException;
import dev.wirehaven.policy.acl.internal.language.PolicyError;
import dev.wirehaven.policy.acl.internal.language.PolicyParser;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import dev.wirehaven.policy.acl.internal.policy.SessionRules;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The operator's view of the {@code acl} engine for the web console: what {@code acl:show},
 * {@code acl:errors} and {@code acl:check} print, as values, and the parser's verdict on a candidate file.
 * It reads the same {@link ActivePolicy} as the engine and decides with the engine's own
 * {@link SessionRules}, so what it shows is what the server enforces. It changes nothing: edits go through
 * the file and the {@link PolicyWatcher}, which keeps the last good policy in force.
 */
@Component(service = PolicyAdministration.class, property = PolicyEngine.NAME_PROPERTY + "=" + AclEngine.NAME)
public final class AclAdministration implements PolicyAdministration {

    private final ActivePolicy active;
    private final AclEngine engine;

    @Activate
    public AclAdministration(@Reference AclComponent component) {
        this(component.active(), component.engine());
    }

    AclAdministration(ActivePolicy active, AclEngine engine) {
        this.active = active;
        this.engine = engine;
    }

    @Override
    public String engine() {
        return AclEngine.NAME;
    }

    @Override
    public PolicyInForce inForce() {
        ActivePolicy.Version v = active.current();
        Policy p = v.policy();
        return new PolicyInForce(
                p.source(),
                v.number(),
                v.since(),
                v.text(),
                p.rules().stream().map(AclAdministration::statement).toList(),
                p.advertisements().stream().map(AclAdministration::statement).toList());
    }

    @Override
    public Optional<PolicyRejection> rejection() {
        return active.rejection()
                .map(r -> new PolicyRejection(
                        r.at(),
                        r.errors().stream().map(AclAdministration::problem).toList()));
    }

    @Override
    public List<PolicyProblem> validate(String text) {
        Objects.requireNonNull(text, "text");
        String source = active.current().policy().source();
        // the watcher refuses such a file before parsing it, so a candidate of that size would never be in force
        if (text.getBytes(StandardCharsets.UTF_8).length > PolicyFile.MAX_BYTES) {
            return List.of(new PolicyProblem(
                    source,
                    0,
                    "file",
                    "the text is larger than " + PolicyFile.MAX_BYTES / 1024 + " KiB",
                    "check that it is the policy file"));
        }
        try {
            PolicyParser.parse(source, text);
            return List.of();
        } catch (InvalidPolicyException e) {
            return e.errors().stream().map(AclAdministration::problem).toList();
        }
    }

    @Override
    public PolicyCheck check(String user, Set<String> groups, InetAddress destination, Protocol protocol, int port) {
        if (protocol.hasPorts() ? port < 1 || port > 65535 : port != 0) {
            throw new IllegalArgumentException(protocol
                    + (protocol.hasPorts() ? " takes a port from 1 to 65535" : " takes no port") + ": " + port);
        }
        Identity identity = new Identity(user, Set.copyOf(groups), Map.of());
        SessionRules rules = engine.sessionRules(active.current().policy(), identity);
        Optional<SessionRules.Entry> match = rules.firstMatch(protocol, destination, port);
        if (match.isEmpty()) {
            return new PolicyCheck(Verdict.NOT_APPLICABLE, null, rules.validUntil());
        }
        Rule r = match.get().source();
        return new PolicyCheck(r.action().verdict(), statement(r), rules.validUntil());
    }

    private static PolicyStatement statement(Rule r) {
        return new PolicyStatement(r.line(), r.name(), r.toString());
    }

    private static PolicyStatement statement(Advertisement a) {
        return new PolicyStatement(a.line(), a.name(), a.toString());
    }

    private static PolicyProblem problem(PolicyError e) {
        return new PolicyProblem(e.source(), e.line(), e.field(), e.problem(), e.fix());
    }
}
