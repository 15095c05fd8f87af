package dev.wirehaven.responses.internal;

import dev.wirehaven.api.net.IpPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operator's rules for responses, read from configuration {@value SecurityResponsesComponent#PID}:
 * what no response may touch (the allow-list of source prefixes and users), how long a lasting response
 * may stay in force at most, and which factor a step-up asks for.
 *
 * @param allowedSources no block may cover these, no session from them is revoked
 * @param allowedUsers no response disables, revokes or steps up these users
 * @param maxDuration longer requests are capped to this
 * @param stepUpMethods what a step-up asks for, one of them
 */
record ResponseSettings(
        List<IpPrefix> allowedSources, Set<String> allowedUsers, Duration maxDuration, List<String> stepUpMethods) {

    static final String ALLOW_LIST = "allowList";
    static final String MAX_DURATION = "maxDuration";
    static final String STEP_UP_METHODS = "stepUpMethods";

    /** The prefix that marks a user name in the allow-list. */
    private static final String USER = "user:";

    private static final Pattern METHOD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    ResponseSettings {
        allowedSources = List.copyOf(allowedSources);
        allowedUsers = Set.copyOf(allowedUsers);
        stepUpMethods = List.copyOf(stepUpMethods);
    }

    /**
     * Reads and checks the configured values. A list value may come as one entry per array element or,
     * from a {@code .cfg} line, as one text with commas: both are split on commas and blanks.
     *
     * @throws ResponseConfigException naming the key, the bad value and the fix
     */
    static ResponseSettings read(String[] allowList, String maxDuration, String[] stepUpMethods) {
        List<IpPrefix> sources = new ArrayList<>();
        Set<String> users = new LinkedHashSet<>();
        for (String entry : entries(allowList)) {
            if (entry.startsWith(USER)) {
                String user = entry.substring(USER.length());
                if (user.isEmpty()) {
                    throw new ResponseConfigException(
                            ALLOW_LIST, entry, "write the user's name after user:, as in user:alice");
                }
                users.add(user);
            } else {
                try {
                    sources.add(IpPrefix.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new ResponseConfigException(
                            ALLOW_LIST,
                            entry,
                            "each entry is an IP address (127.0.0.1), a prefix (10.0.0.0/8, fd00::/8) or user:<name>");
                }
            }
        }
        Duration max;
        try {
            max = Durations.parse(maxDuration);
        } catch (IllegalArgumentException e) {
            throw new ResponseConfigException(
                    MAX_DURATION, maxDuration, "write a positive duration such as 12h, 7d or PT36H");
        }
        List<String> methods = entries(stepUpMethods);
        if (methods.isEmpty()) {
            throw new ResponseConfigException(
                    STEP_UP_METHODS, "", "name at least one auth method that a step-up asks for, such as totp");
        }
        for (String method : methods) {
            if (!METHOD.matcher(method).matches()) {
                throw new ResponseConfigException(
                        STEP_UP_METHODS, method, "an auth method is a lower-case name such as totp");
            }
        }
        return new ResponseSettings(sources, users, max, methods);
    }

    /** The built-in rules: loopback allow-listed, 7 days at most, step-up by TOTP. */
    static ResponseSettings defaults() {
        return read(
                SecurityResponsesComponent.DEFAULT_ALLOW_LIST.toArray(String[]::new),
                SecurityResponsesComponent.DEFAULT_MAX_DURATION,
                SecurityResponsesComponent.DEFAULT_STEP_UP_METHODS.toArray(String[]::new));
    }

    private static List<String> entries(String[] values) {
        List<String> entries = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split("[,\\s]+")) {
                    if (!part.isEmpty()) {
                        entries.add(part);
                    }
                }
            }
        }
        return entries;
    }

    /** The allow-listed prefix that shares addresses with {@code block}, if any. */
    Optional<IpPrefix> allowListedOverlap(IpPrefix block) {
        return allowedSources.stream()
                .filter(allowed -> SourcePrefixes.overlap(allowed, block))
                .findFirst();
    }

    /** The allow-listed prefix that holds {@code address}, if any. */
    Optional<IpPrefix> allowListedSource(java.net.InetAddress address) {
        return allowedSources.stream().filter(p -> p.contains(address)).findFirst();
    }

    boolean isAllowListedUser(String user) {
        return allowedUsers.contains(user);
    }

    /** The duration asked for, or the maximum when it asks for more. */
    Duration capped(Duration asked) {
        return asked.compareTo(maxDuration) > 0 ? maxDuration : asked;
    }

    /** One line for the log: what is in force now. */
    String describe() {
        List<String> allow = new ArrayList<>();
        allowedSources.forEach(p -> allow.add(SourcePrefixes.canonical(p)));
        allowedUsers.forEach(u -> allow.add(USER + Text.printable(u)));
        return "allow-list " + (allow.isEmpty() ? "(empty)" : String.join(", ", allow)) + "; at most "
                + Durations.format(maxDuration) + "; step-up by " + String.join(" or ", stepUpMethods);
    }
}
