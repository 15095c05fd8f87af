package dev.wirehaven.api.auth;

import java.time.Instant;
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
 * @param validUntil when the proof lapses (an OIDC token's expiry), or {@code null} when the source
 *        sets no limit; the server ends or re-authenticates the session by then at the latest
 *        (since 1.1)
 */
public record Identity(String user, Set<String> groups, Map<String, String> attributes, Instant validUntil) {

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

    /** An identity without an expiry: the form of version 1.0. */
    public Identity(String user, Set<String> groups, Map<String, String> attributes) {
        this(user, groups, attributes, null);
    }

    /**
     * The same identity, valid until {@code instant} at the latest.
     *
     * @since 1.1
     */
    public Identity withValidUntil(Instant instant) {
        return new Identity(user, groups, attributes, instant);
    }

    /**
     * The same identity with other groups (a fallback login that the operator gives fewer groups).
     *
     * @since 1.1
     */
    public Identity withGroups(Set<String> newGroups) {
        return new Identity(user, newGroups, attributes, validUntil);
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
