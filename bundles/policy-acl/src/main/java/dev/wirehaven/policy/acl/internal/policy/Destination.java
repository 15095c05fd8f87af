package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a rule's {@code where} (or an advertisement's subnets), with the prefixes it stands for:
 * a host or network name ({@code git}, {@code office}), a literal address or prefix, or {@code *}
 * (0.0.0.0/0 and ::/0).
 *
 * @param label what the operator wrote, for {@code acl:show}
 * @param prefixes the prefixes, in the order the definition lists them; at least one
 */
public record Destination(String label, List<IpPrefix> prefixes) {

    /** Copies the prefixes. */
    public Destination {
        Objects.requireNonNull(label, "label");
        prefixes = List.copyOf(Objects.requireNonNull(prefixes, "prefixes"));
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("a destination stands for at least one prefix");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
