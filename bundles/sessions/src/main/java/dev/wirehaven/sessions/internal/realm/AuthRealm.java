package dev.wirehaven.sessions.internal.realm;

import dev.wirehaven.api.auth.Identity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which users are served how: the methods of their first factor, the second factor some or all of
 * them must add, and the fallback that stands in while the primary's providers are unavailable.
 * Realms are matched in descending ranking; the first that serves the user with the method answered
 * decides the rest of the login.
 *
 * @param name the realm's name, recorded in the session's identity and the events
 * @param ranking higher first
 * @param users {@code *}, {@code @domain}, or a regular expression for the whole name
 * @param primary the first factor's methods
 * @param secondFactor the methods of which one follows, when {@link #rule} asks for it
 * @param rule who must add a second factor
 * @param secondFactorGroups for {@link SecondFactorRule#GROUPS}
 * @param fallback methods asked when the primary's providers are all unavailable
 * @param fallbackGroups when not empty, the only groups a fallback login keeps
 */
public record AuthRealm(
        String name,
        int ranking,
        String users,
        List<String> primary,
        List<String> secondFactor,
        SecondFactorRule rule,
        Set<String> secondFactorGroups,
        List<String> fallback,
        Set<String> fallbackGroups) {

    /** The identity attribute naming the realm a session's user logged in through. */
    public static final String REALM_ATTRIBUTE = "wirehaven.auth.realm";
    /** The identity attribute naming the fallback method that stood in for the primary. */
    public static final String FALLBACK_ATTRIBUTE = "wirehaven.auth.fallback";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern METHOD = Pattern.compile("[a-z0-9-]{1,64}");

    /** Validates: every problem names its configuration key. */
    public AuthRealm {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RealmConfigException("name", "missing or not made of letters, digits, '.', '_' and '-'");
        }
        users = users == null || users.isBlank() ? "*" : users.strip();
        if (!users.equals("*") && !users.startsWith("@")) {
            try {
                Pattern.compile(users);
            } catch (PatternSyntaxException e) {
                throw new RealmConfigException("users", "not '*', '@domain' or a valid regular expression");
            }
        }
        primary = methods("primary", primary);
        if (primary.isEmpty()) {
            throw new RealmConfigException("primary", "names no method; give at least one, such as ldap or password");
        }
        secondFactor = methods("secondFactor", secondFactor);
        if (rule != SecondFactorRule.NONE && secondFactor.isEmpty()) {
            throw new RealmConfigException(
                    "secondFactor",
                    "names no method but secondFactorFor is " + rule.name().toLowerCase(Locale.ROOT));
        }
        secondFactorGroups = Set.copyOf(secondFactorGroups);
        if (rule == SecondFactorRule.GROUPS && secondFactorGroups.isEmpty()) {
            throw new RealmConfigException("secondFactorGroups", "is empty but secondFactorFor is groups");
        }
        fallback = methods("fallback", fallback);
        fallbackGroups = Set.copyOf(fallbackGroups);
    }

    /** From the configuration as ConfigAdmin gives it. */
    public static AuthRealm from(RealmConfig c) {
        return new AuthRealm(
                c.name(),
                c.service_ranking(),
                c.users(),
                List.of(c.primary()),
                List.of(c.secondFactor()),
                SecondFactorRule.parse(c.secondFactorFor()),
                Set.of(c.secondFactorGroups()),
                List.of(c.fallback()),
                Set.of(c.fallbackGroups()));
    }

    /** True when this realm serves {@code user} (case-insensitive for domains, as mail domains are). */
    public boolean serves(String user) {
        if (users.equals("*")) {
            return true;
        }
        if (user == null || user.isEmpty()) {
            return false;
        }
        if (users.startsWith("@")) {
            return user.toLowerCase(Locale.ROOT).endsWith(users.toLowerCase(Locale.ROOT));
        }
        return Pattern.compile(users).matcher(user).matches();
    }

    /** True when {@code identity} must add a second factor here; {@code enrolled} answers for ENROLLED. */
    public boolean needsSecondFactor(Identity identity, java.util.function.Predicate<Identity> enrolled) {
        return switch (rule) {
            case NONE -> false;
            case EVERYONE -> true;
            case GROUPS -> identity.groups().stream().anyMatch(secondFactorGroups::contains);
            case ENROLLED -> enrolled.test(identity);
        };
    }

    /**
     * The identity as this realm hands it on: the realm named, and for a fallback login the method
     * named and the groups narrowed to {@link #fallbackGroups} when those are set.
     */
    public Identity stamp(Identity identity, String fallbackMethod) {
        java.util.Map<String, String> attributes = new java.util.TreeMap<>(identity.attributes());
        attributes.put(REALM_ATTRIBUTE, name);
        Set<String> groups = identity.groups();
        if (fallbackMethod != null) {
            attributes.put(FALLBACK_ATTRIBUTE, fallbackMethod);
            if (!fallbackGroups.isEmpty()) {
                Set<String> kept = new TreeSet<>(groups);
                kept.retainAll(fallbackGroups);
                groups = kept;
            }
        }
        return new Identity(identity.user(), groups, attributes, identity.validUntil());
    }

    private static List<String> methods(String key, List<String> given) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : given == null ? List.<String>of() : given) {
            String method = m == null ? "" : m.strip();
            if (method.isEmpty()) {
                continue;
            }
            if (!METHOD.matcher(method).matches()) {
                throw new RealmConfigException(key, "'" + method + "' is not a method name (a-z, 0-9, '-')");
            }
            out.add(method);
        }
        return new ArrayList<>(out).stream().toList();
    }
}
