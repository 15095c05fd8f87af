package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.api.policy.RuleSet;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a policy file into a checked {@link Policy}, or reports every mistake in it.
 *
 * <p>Hand-written rather than generated or taken from a library: no library parses this grammar, a
 * generated parser would report "mismatched input" in terms of its own tokens, while an operator who
 * edits the file on a running server needs each mistake named by line and by the part of the line in the
 * file's own words ({@code ports}, {@code who}, {@code zone}) with the fix, and needs all of them at once.
 * The grammar is line-oriented and small enough that the code reads like it (see the README).
 *
 * <p>Two passes: first every {@code host} and {@code network} (a network may use names defined above it),
 * then the {@code rule} and {@code advertise} lines, which may use any name of the file.
 */
public final class PolicyParser {

    private PolicyParser() {}

    /**
     * Parses {@code text}.
     *
     * @param source the file, as messages name it
     * @throws InvalidPolicyException with every mistake
     */
    public static Policy parse(String source, String text) throws InvalidPolicyException {
        Problems problems = new Problems(source);
        List<Statement> statements = StatementReader.read(text, problems);
        AddressBook book = new AddressBook(declarations(statements));
        Map<String, Integer> definedAt = new HashMap<>();
        for (Statement s : statements) {
            boolean host = s.word(0).is("host");
            if (host || s.word(0).is("network")) {
                Word name = s.word(1);
                if (name != null
                        && unique(definedAt, name.text(), s.line(), host ? "host name" : "network name", problems)) {
                    Definitions.define(s, host, book, problems);
                }
            }
        }
        List<Rule> rules = new ArrayList<>();
        List<Advertisement> advertisements = new ArrayList<>();
        Map<String, Integer> namedAt = new HashMap<>();
        int size = 0;
        for (Statement s : statements) {
            boolean rule = s.word(0).is("rule");
            if (!rule && !s.word(0).is("advertise")) {
                if (!s.word(0).is("host") && !s.word(0).is("network")) {
                    unknownKeyword(s, problems);
                }
                continue;
            }
            RuleParser.Head head = RuleParser.head(s, problems);
            if (head == null || !unique(namedAt, head.name(), s.line(), "rule name", problems)) {
                continue;
            }
            if (rule) {
                Rule r = RuleParser.rule(s, head, book, problems);
                if (r != null) {
                    size = countRules(size, r, problems);
                    rules.add(r);
                }
            } else {
                Advertisement a = RuleParser.advertisement(s, head, book, problems);
                if (a != null) {
                    advertisements.add(a);
                }
            }
        }
        if (problems.count() > 0) {
            throw new InvalidPolicyException(problems.sorted());
        }
        return new Policy(source, rules, advertisements);
    }

    /** Every host and network name with the line of its first definition, for "defined below" messages. */
    private static Map<String, Integer> declarations(List<Statement> statements) {
        Map<String, Integer> at = new HashMap<>();
        for (Statement s : statements) {
            if ((s.word(0).is("host") || s.word(0).is("network")) && s.word(1) != null) {
                at.putIfAbsent(s.word(1).text(), s.line());
            }
        }
        return at;
    }

    private static boolean unique(Map<String, Integer> seen, String name, int line, String field, Problems problems) {
        Integer first = seen.putIfAbsent(name, line);
        if (first != null) {
            problems.add(
                    line,
                    field,
                    "'" + name + "' is already used at line " + first,
                    "give each " + field.replace(" name", "") + " its own name");
            return false;
        }
        return true;
    }

    /** The running count of data-plane rules, reported once when it passes what one rule set may hold. */
    private static int countRules(int before, Rule r, Problems problems) {
        int after = before + r.size();
        if (before <= RuleSet.MAX_RULES && after > RuleSet.MAX_RULES) {
            problems.add(
                    r.line(),
                    "rule " + r.name(),
                    "with this rule the policy makes more than " + RuleSet.MAX_RULES
                            + " data-plane rules (one per destination prefix and port range)",
                    "use wider prefixes or port ranges, or fewer rules");
        }
        return after;
    }

    private static void unknownKeyword(Statement s, Problems problems) {
        problems.add(
                s.line(),
                "keyword",
                "'" + s.word(0).text() + "' is not a keyword",
                "start each line with host, network, rule or advertise (or # for a comment)");
    }
}
