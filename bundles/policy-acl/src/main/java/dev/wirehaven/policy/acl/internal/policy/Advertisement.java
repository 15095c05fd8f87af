package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One {@code advertise} line: {@link #who()} (site-to-site clients) may advertise any subnet that lies
 * wholly inside one of {@link #subnets()}, so that the server routes it to them.
 *
 * @param name the line's name, unique in the file among rules and advertisements
 * @param who who may advertise
 * @param subnets the ranges they may advertise from
 * @param line the line of the file where it starts
 */
public record Advertisement(String name, Subjects who, List<Destination> subnets, int line) {

    /** Copies the list. */
    public Advertisement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(who, "who");
        subnets = List.copyOf(Objects.requireNonNull(subnets, "subnets"));
    }

    /** True when {@code subnet} lies wholly inside one of the ranges. */
    public boolean covers(IpPrefix subnet) {
        return subnets.stream().flatMap(d -> d.prefixes().stream()).anyMatch(p -> Prefixes.covers(p, subnet));
    }

    /** As the policy file writes it. */
    @Override
    public String toString() {
        return "advertise " + name + ": " + who + " -> "
                + subnets.stream().map(Destination::toString).collect(Collectors.joining(","));
    }
}
