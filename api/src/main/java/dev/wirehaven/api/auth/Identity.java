package dev.wirehaven.api.auth;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who a client was proven to be: the user name, the groups that policies refer to, and further
 * attributes from the identity source (for example an e-mail address or a department).
 *
 * <p>Immutable: groups and attributes are copied into sorted, unmodifiable collections, so that
 * the value prints and compares the same way whatever collections the provider passed in.
 *
 * @param user the user name, unique within the server; not blank
 * @param groups the groups the user belongs to; may be empty, no blank entries
 * @param attributes further facts about the user, name to value; may be empty, no null entries
 */
public record Identity(String user, Set<String> groups, Map<String, String> attributes) {

    /** Validates and copies. */
    public Identity {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("the user name is blank");
        }
        SortedSet<String> g = new TreeSet<>();
        for (String group : Objects.requireNonNull(groups, "groups")) {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException("a group name is null or blank");
            }
            g.add(group);
        }
        groups = Collections.unmodifiableSortedSet(g);
        SortedMap<String, String> a = new TreeMap<>();
        for (Map.Entry<String, String> e :
                Objects.requireNonNull(attributes, "attributes").entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("an attribute name or value is null");
            }
            a.put(e.getKey(), e.getValue());
        }
        attributes = Collections.unmodifiableSortedMap(a);
    }

    /** A user with the given groups and no attributes. */
    public static Identity of(String user, String... groups) {
        return new Identity(user, Set.of(groups), Map.of());
    }

    /** True when the user belongs to {@code group}. */
    public boolean isMemberOf(String group) {
        return groups.contains(group);
    }
}
