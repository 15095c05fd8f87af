package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.policy.acl.internal.policy.Destination;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code host} and {@code network} statements:
 *
 * <pre>
 * host    NAME ADDRESS[,ADDRESS...]             host git 10.20.0.5, fd00::5
 * network NAME PREFIX-OR-NAME[,PREFIX-OR-NAME...] network office 10.20.0.0/24, git
 * </pre>
 *
 * A network may list names defined above it (not below, so that no definition can refer to itself).
 */
final class Definitions {

    private Definitions() {}

    /** Defines the statement's name in {@code book}, unless it has mistakes (then reported). */
    static void define(Statement s, boolean host, AddressBook book, Problems problems) {
        String keyword = host ? "host" : "network";
        String usage = host
                ? "host NAME ADDRESS, as in host git 10.20.0.5"
                : "network NAME PREFIX, as in network office 10.20.0.0/24";
        Word nameWord = s.word(1);
        if (nameWord == null
                || nameWord.items().size() != 1
                || !AddressBook.NAME.matcher(nameWord.text()).matches()) {
            problems.add(
                    s.line(),
                    keyword + " name",
                    nameWord == null
                            ? "the name is missing"
                            : "'" + nameWord.text()
                                    + "' is not a name (a letter, then up to 63 letters, digits, . _ -)",
                    "write " + usage);
            return;
        }
        String name = nameWord.text();
        String field = keyword + " " + name;
        Word values = s.word(2);
        if (values == null) {
            problems.add(s.line(), field, "no " + (host ? "address" : "prefix") + " is given", "write " + usage);
            return;
        }
        if (s.words().size() > 3) {
            problems.add(
                    s.line(),
                    field,
                    "unexpected '" + s.word(3).text() + "' after the " + (host ? "addresses" : "prefixes"),
                    "separate several with commas, as in 10.20.0.5, fd00::5");
        }
        int before = problems.count();
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String entry : values.items()) {
            if (host) {
                hostAddress(entry, s.line(), field, problems, prefixes);
            } else {
                Destination d = book.resolve(entry, s.line(), field, problems);
                if (d != null) {
                    prefixes.addAll(d.prefixes());
                }
            }
        }
        if (problems.count() == before) {
            book.define(name, new Destination(name, prefixes));
        }
    }

    private static void hostAddress(String entry, int line, String field, Problems problems, List<IpPrefix> out) {
        IpPrefix prefix = AddressBook.literal(entry, line, field, problems);
        if (prefix == null) {
            return;
        }
        if (prefix.prefixLength() != prefix.address().getAddress().length * 8) {
            problems.add(
                    line,
                    field,
                    "'" + entry + "' is a network, not one address",
                    "write the address alone, or define a network with 'network NAME " + entry + "'");
            return;
        }
        out.add(prefix);
    }
}
