package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.policy.acl.internal.policy.Destination;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code host} and {@code network} names of a policy file, and how an entry of a {@code where} list
 * becomes prefixes: {@code *} (every IPv4 and IPv6 address), a defined name, or a literal address or
 * prefix. Names start with a letter, so that a name never looks like an address.
 */
final class AddressBook {

    /** A host or network name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    private static final Pattern LOOKS_LIKE_ADDRESS = Pattern.compile("[0-9./]+|.*:.*");
    private static final Destination ANYWHERE =
            new Destination("*", List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")));

    private final Map<String, Destination> defined = new HashMap<>();
    private final Map<String, Integer> declaredAt;

    /** @param declaredAt every name that the file defines, with the line of its first definition */
    AddressBook(Map<String, Integer> declaredAt) {
        this.declaredAt = Map.copyOf(declaredAt);
    }

    void define(String name, Destination destination) {
        defined.put(name, destination);
    }

    /** The prefixes of one entry, or {@code null} when it names none (reported as a mistake in {@code field}). */
    Destination resolve(String entry, int line, String field, Problems problems) {
        if (entry.equals("*")) {
            return ANYWHERE;
        }
        Destination named = defined.get(entry);
        if (named != null) {
            return new Destination(entry, named.prefixes());
        }
        if (LOOKS_LIKE_ADDRESS.matcher(entry).matches()) {
            IpPrefix prefix = literal(entry, line, field, problems);
            return prefix == null ? null : new Destination(prefix.toString(), List.of(prefix));
        }
        Integer at = declaredAt.get(entry);
        if (at != null && at <= line) {
            problems.add(
                    line,
                    field,
                    "the definition of '" + entry + "' at line " + at + " has a mistake",
                    "fix line " + at + " (see its own message)");
        } else if (at != null) {
            problems.add(
                    line,
                    field,
                    "'" + entry + "' is defined below, at line " + at + "; a network can only use names defined"
                            + " above it",
                    "move the definition of " + entry + " above line " + line);
        } else {
            problems.add(
                    line,
                    field,
                    "unknown name '" + entry + "'",
                    "define it with 'host " + entry + " ADDRESS' or 'network " + entry
                            + " PREFIX', or write an address such as 10.20.0.5 or 10.20.0.0/24");
        }
        return null;
    }

    /** A literal prefix whose host bits are clear, or {@code null} (reported). */
    static IpPrefix literal(String text, int line, String field, Problems problems) {
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(
                    line,
                    field,
                    "'" + text + "' is not an IP address or prefix",
                    "write an address such as 10.20.0.5 or fd00::5, or a prefix such as 10.20.0.0/24 or fd00::/64");
            return null;
        }
        int slash = text.indexOf('/');
        IpPrefix address = slash < 0 ? prefix : IpPrefix.parse(text.substring(0, slash));
        if (!address.address().equals(prefix.address())) {
            // 10.20.0.5/24 covers 10.20.0.0/24: more than the operator probably meant to open
            problems.add(
                    line,
                    field,
                    "'" + text + "' has host bits set",
                    "write " + prefix + " for the network, or "
                            + address.address().getHostAddress() + " for the one host");
            return null;
        }
        return prefix;
    }
}
