package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.Protocol;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import dev.wirehaven.policy.acl.internal.policy.SessionRules;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo commands of the engine, in the scope {@code acl}:
 *
 * <pre>
 * acl:show                                      the policy in force, its version and file
 * acl:check USER [GROUP,...] ADDRESS PROTO[/PORT] which rule decides a flow, and why
 * acl:errors                                    why the file as it is now is not in force
 * </pre>
 *
 * Like the server's other commands this needs no Gogo package: Gogo finds the functions through the
 * {@code osgi.command.*} properties and calls the methods of their names by reflection.
 */
@Component(
        service = AclCommands.class,
        property = {
            "osgi.command.scope=acl",
            "osgi.command.function=show",
            "osgi.command.function=check",
            "osgi.command.function=errors"
        })
public final class AclCommands {

    private static final String CHECK_USAGE = "Usage: acl:check USER [GROUP,...] ADDRESS tcp/PORT|udp/PORT|icmp|other";

    private final ActivePolicy active;
    private final AclEngine engine;

    @Activate
    public AclCommands(@Reference AclComponent component) {
        this(component.active(), component.engine());
    }

    AclCommands(ActivePolicy active, AclEngine engine) {
        this.active = active;
        this.engine = engine;
    }

    /** The policy in force, line by line, with its version and file. */
    public String show() {
        ActivePolicy.Version v = active.current();
        Policy p = v.policy();
        StringBuilder out = new StringBuilder();
        if (v.number() == 0) {
            out.append("No policy is in force (")
                    .append(p.source())
                    .append(" was never loaded); every answer is")
                    .append(" NOT_APPLICABLE.\n");
        } else {
            out.append("Policy version ")
                    .append(v.number())
                    .append(" from ")
                    .append(p.source())
                    .append(", in force since ")
                    .append(v.since())
                    .append(": ")
                    .append(p.rules().size())
                    .append(" rule(s), ")
                    .append(p.advertisements().size())
                    .append(" advertisement(s).\n");
        }
        for (Rule r : p.rules()) {
            out.append(String.format(Locale.ROOT, "%5d  %s%n", r.line(), r));
        }
        for (Advertisement a : p.advertisements()) {
            out.append(String.format(Locale.ROOT, "%5d  %s%n", a.line(), a));
        }
        active.rejection()
                .ifPresent(r -> out.append("The file as it is now is not in force (")
                        .append(r.messages().size())
                        .append(" problem(s)); see acl:errors.\n"));
        return out.toString();
    }

    /** Why the file as it is now is not in force, or that it is. */
    public String errors() {
        return active.rejection()
                .map(r -> "Found at " + r.at() + "; version " + active.current().number() + " stays in force:\n"
                        + String.join("\n", r.messages()) + "\n")
                .orElse("No problem: the policy in force is the file as it is (version "
                        + active.current().number() + ").\n");
    }

    /** {@code acl:check USER ADDRESS PROTO[/PORT]}: a user without groups. */
    public String check(String user, String address, String flow) {
        return check(user, "", address, flow);
    }

    /** {@code acl:check USER GROUP,... ADDRESS PROTO[/PORT]}. */
    public String check(String user, String groups, String address, String flow) {
        Set<String> groupSet = new TreeSet<>(Arrays.asList(groups.split(",")));
        groupSet.removeIf(String::isBlank);
        Identity identity = new Identity(user, groupSet, Map.of());
        InetAddress destination = address(address);
        String[] parts = flow.toLowerCase(Locale.ROOT).split("/", 2);
        Protocol protocol = protocol(parts[0]);
        int port = parts.length == 2 ? port(parts[1]) : 0;
        if (protocol.hasPorts() != (parts.length == 2)) {
            throw new IllegalArgumentException(CHECK_USAGE + " (tcp and udp take a port, icmp and other none)");
        }
        Policy policy = active.current().policy();
        SessionRules rules = engine.sessionRules(policy, identity);
        Optional<SessionRules.Entry> match = rules.firstMatch(protocol, destination, port);
        String asked = user + (groupSet.isEmpty() ? "" : " (groups " + String.join(",", groupSet) + ")") + ", " + flow
                + " to " + destination.getHostAddress() + ": ";
        String validity =
                rules.validUntil() == null ? "" : " The rules of this user change at " + rules.validUntil() + ".";
        if (match.isEmpty()) {
            return asked + "no rule matches, so acl answers NOT_APPLICABLE (denied unless another engine allows)."
                    + validity + "\n";
        }
        Rule r = match.get().source();
        return asked + r.action().verdict() + " by " + policy.at(r.line()) + ": " + r + "." + validity + "\n";
    }

    private static InetAddress address(String text) {
        IpPrefix p;
        try {
            p = IpPrefix.parse(text); // literals only: no DNS lookup from a console command
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CHECK_USAGE + " ('" + text + "' is not an IP address)", e);
        }
        if (p.prefixLength() != p.address().getAddress().length * 8) {
            throw new IllegalArgumentException(CHECK_USAGE + " (give one address, not a prefix)");
        }
        return p.address();
    }

    private static Protocol protocol(String text) {
        return switch (text) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            case "other" -> Protocol.OTHER;
            default -> throw new IllegalArgumentException(CHECK_USAGE + " ('" + text + "' is not a protocol)");
        };
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(CHECK_USAGE + " ('" + text + "' is not a port 1-65535)");
    }
}
