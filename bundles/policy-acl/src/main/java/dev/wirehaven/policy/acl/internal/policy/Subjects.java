package dev.wirehaven.policy.acl.internal.policy;

import dev.wirehaven.api.auth.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whom a rule or an advertisement is for: everyone ({@code *}), or the listed users and the members of
 * the listed groups. Names compare exactly as the auth providers spell them (an LDAP group's name, a
 * local user's group), because a policy that matched "Admins" for "admins" would grant what the
 * operator did not write.
 *
 * @param everyone true for {@code *}
 * @param users user names ({@code user:NAME})
 * @param groups group names ({@code group:NAME})
 */
public record Subjects(boolean everyone, List<String> users, List<String> groups) {

    /** Copies the lists. */
    public Subjects {
        users = List.copyOf(Objects.requireNonNull(users, "users"));
        groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
    }

    /** True when {@code identity} is one of these subjects. */
    public boolean matches(Identity identity) {
        return everyone || users.contains(identity.user()) || groups.stream().anyMatch(identity::isMemberOf);
    }

    /** As the policy file writes it: {@code *} or {@code user:alice,group:admins}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (everyone) {
            parts.add("*");
        }
        users.forEach(u -> parts.add("user:" + quoted(u)));
        groups.forEach(g -> parts.add("group:" + quoted(g)));
        return String.join(",", parts);
    }

    private static String quoted(String name) {
        return name.matches("[^\\s,#\"]+") ? name : "\"" + name + "\"";
    }
}
