package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.policy.AccessRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One {@code rule} line of the policy file: for {@link #who()}, flows to {@link #where()} of
 * {@link #services()} get {@link #action()}, while {@link #window()} (if any) is open.
 *
 * <p>In the data plane it becomes one {@link AccessRule} per destination prefix and service, all with the
 * rule's name: the server counts denied packets by rule name, and the operator reads "denied by no-smtp"
 * for the line they wrote, not for one of its expansions.
 *
 * @param name the rule's name, unique in the file
 * @param action allow, deny or step-up
 * @param who whom it applies to
 * @param where the destinations
 * @param services the protocols and ports; {@link Service#ANY} alone when the rule names none
 * @param window when it is in force, or {@code null} for always
 * @param line the line of the file where it starts
 */
public record Rule(
        String name,
        Action action,
        Subjects who,
        List<Destination> where,
        List<Service> services,
        TimeWindow window,
        int line) {

    /** Copies the lists. */
    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(who, "who");
        where = List.copyOf(Objects.requireNonNull(where, "where"));
        services = List.copyOf(Objects.requireNonNull(services, "services"));
    }

    /** How many data-plane rules this line becomes. */
    public int size() {
        return where.stream().mapToInt(d -> d.prefixes().size()).sum() * services.size();
    }

    /** The data-plane rules of this line, destinations first, then services, in the order written. */
    public List<AccessRule> accessRules() {
        List<AccessRule> out = new ArrayList<>(size());
        for (Destination d : where) {
            for (IpPrefix prefix : d.prefixes()) {
                for (Service s : services) {
                    out.add(new AccessRule(
                            name,
                            action.verdict(),
                            prefix,
                            s.protocol(),
                            s.firstPort(),
                            s.lastPort(),
                            action.stepUpMethods()));
                }
            }
        }
        return out;
    }

    /** The services as written: ports of the same protocol share it ({@code tcp/22,443,udp/53}). */
    private String servicesText() {
        StringBuilder b = new StringBuilder();
        Service previous = null;
        for (Service s : services) {
            boolean sameProtocol = previous != null
                    && previous.protocol() == s.protocol()
                    && previous.firstPort() != 0
                    && s.firstPort() != 0;
            String text = s.toString();
            b.append(b.length() == 0 ? "" : ",").append(sameProtocol ? text.substring(text.indexOf('/') + 1) : text);
            previous = s;
        }
        return b.toString();
    }

    /** As the policy file writes it. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("rule ")
                .append(name)
                .append(": ")
                .append(action)
                .append(' ')
                .append(who)
                .append(" -> ")
                .append(where.stream().map(Destination::toString).collect(Collectors.joining(",")));
        if (!services.equals(List.of(Service.ANY))) {
            b.append(' ').append(servicesText());
        }
        if (window != null) {
            b.append(' ').append(window);
        }
        return b.toString();
    }
}
