package dev.wirehaven.example.policy.portallowlist.internal;

import dev.wirehaven.api.policy.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The open ports of each group, from configuration lines {@code <group>:<port>,<port>...} such as
 * {@code developers:tcp/22,tcp/443,udp/53}. A group may appear on several lines; its ports add up.
 */
final class Allowlist {

    private final Map<String, List<PortRange>> byGroup;

    private Allowlist(Map<String, List<PortRange>> byGroup) {
        this.byGroup = byGroup;
    }

    /** Parses the lines; a bad line fails with its position. */
    static Allowlist parse(List<String> lines) {
        Map<String, List<PortRange>> byGroup = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            try {
                int colon = line.indexOf(':');
                if (colon <= 0 || line.substring(0, colon).isBlank()) {
                    throw new IllegalArgumentException("expected <group>:<tcp|udp>/<port>[-<port>],...");
                }
                List<PortRange> ranges =
                        byGroup.computeIfAbsent(line.substring(0, colon).strip(), g -> new ArrayList<>());
                for (String item : line.substring(colon + 1).split(",")) {
                    if (!item.isBlank()) {
                        ranges.add(PortRange.parse(item));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rules[" + i + "] is invalid: " + e.getMessage(), e);
            }
        }
        byGroup.replaceAll((g, r) -> List.copyOf(r));
        return new Allowlist(Collections.unmodifiableMap(byGroup));
    }

    /** True when at least one of {@code groups} has a rule here. */
    boolean governsAny(Set<String> groups) {
        return groups.stream().anyMatch(byGroup::containsKey);
    }

    /** The ranges of those of {@code groups} that have rules here, by group name (sorted). */
    Map<String, List<PortRange>> rangesOf(Set<String> groups) {
        Map<String, List<PortRange>> mine = new TreeMap<>(byGroup);
        mine.keySet().retainAll(groups);
        return mine;
    }

    /** The first of {@code groups} (sorted) that opens the port, with the range that opens it. */
    Optional<Map.Entry<String, PortRange>> opening(Set<String> groups, Protocol protocol, int port) {
        for (Map.Entry<String, List<PortRange>> e : byGroup.entrySet()) {
            if (!groups.contains(e.getKey())) {
                continue;
            }
            for (PortRange r : e.getValue()) {
                if (r.covers(protocol, port)) {
                    return Optional.of(Map.entry(e.getKey(), r));
                }
            }
        }
        return Optional.empty();
    }
}
