package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy file, parsed and checked: its rules and advertisements in file order. Immutable, so that the
 * engine can swap a whole policy in one step and every decision reads one consistent policy.
 *
 * @param source the file, as error messages and reasons name it
 * @param rules the {@code rule} lines in order
 * @param advertisements the {@code advertise} lines in order
 */
public record Policy(String source, List<Rule> rules, List<Advertisement> advertisements) {

    /** Copies the lists. */
    public Policy {
        Objects.requireNonNull(source, "source");
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        advertisements = List.copyOf(Objects.requireNonNull(advertisements, "advertisements"));
    }

    /** A policy without rules: every answer is NOT_APPLICABLE. */
    public static Policy empty(String source) {
        return new Policy(source, List.of(), List.of());
    }

    /** The first advertisement that lets {@code identity} advertise {@code subnet}. */
    public Optional<Advertisement> advertisementCovering(Identity identity, IpPrefix subnet) {
        return advertisements.stream()
                .filter(a -> a.who().matches(identity) && a.covers(subnet))
                .findFirst();
    }

    /** {@code <file>:<line>}, how a reason points at a line. */
    public String at(int line) {
        return source + ":" + line;
    }
}
