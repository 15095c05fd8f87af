package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.api.policy.AccessRule;
import dev.wirehaven.api.policy.Verdict;
import dev.wirehaven.policy.acl.internal.policy.Action;
import dev.wirehaven.policy.acl.internal.policy.Advertisement;
import dev.wirehaven.policy.acl.internal.policy.Destination;
import dev.wirehaven.policy.acl.internal.policy.Rule;
import dev.wirehaven.policy.acl.internal.policy.Service;
import dev.wirehaven.policy.acl.internal.policy.Subjects;
import dev.wirehaven.policy.acl.internal.policy.TimeWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code rule} and {@code advertise} statements:
 *
 * <pre>
 * rule NAME: allow|deny|step-up METHOD[,METHOD] WHO -> WHERE [SERVICES] [during DAYS HH:MM-HH:MM [ZONE]]
 * advertise NAME: WHO -> PREFIX-OR-NAME[,...]
 * </pre>
 */
final class RuleParser {

    /** A rule name as {@link AccessRule} accepts it. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1," + AccessRule.MAX_NAME_LENGTH + "}");

    private static final Pattern METHOD = Pattern.compile("[a-z0-9-]+");
    private static final String RULE_USAGE =
            "write rule NAME: allow WHO -> WHERE [PORTS], as in rule git-ssh: allow group:engineers -> git tcp/22";
    private static final String ADVERTISE_USAGE =
            "write advertise NAME: WHO -> PREFIX, as in advertise branch-lan: group:branches -> 10.30.0.0/16";

    private RuleParser() {}

    /** The name of a {@code rule} or {@code advertise} statement and where its body starts. */
    record Head(String name, int body) {}

    /** The statement's name, or {@code null} (reported) when it has none or a bad one. */
    static Head head(Statement s, Problems problems) {
        boolean rule = s.word(0).is("rule");
        String usage = rule ? RULE_USAGE : ADVERTISE_USAGE;
        Word w = s.word(1);
        String raw = w == null ? "" : w.text();
        Head head = null;
        if (w != null && w.items().size() == 1 && raw.length() > 1 && raw.endsWith(":")) {
            head = new Head(raw.substring(0, raw.length() - 1), 2);
        } else if (w != null && s.word(2) != null && s.word(2).is(":")) {
            head = new Head(raw, 3);
        }
        if (head == null) {
            problems.add(
                    s.line(),
                    "rule name",
                    w == null || isAction(w) || Word.ARROW.equals(w)
                            ? "the " + (rule ? "rule" : "advertisement") + " has no name"
                            : "'" + raw + "' is not followed by ':'",
                    usage);
            return null;
        }
        if (!NAME.matcher(head.name()).matches()) {
            problems.add(
                    s.line(),
                    "rule name",
                    "'" + head.name() + "' is not a rule name",
                    "use 1 to " + AccessRule.MAX_NAME_LENGTH + " letters, digits or . _ : -, as in git-ssh");
            return null;
        }
        return head;
    }

    /** The rule, or {@code null} when it has mistakes (reported). */
    static Rule rule(Statement s, Head head, AddressBook book, Problems problems) {
        int before = problems.count();
        List<Word> words = s.words();
        int arrow = words.indexOf(Word.ARROW);
        if (arrow < 0) {
            problems.add(s.line(), "rule " + head.name(), "there is no '->' between who and where", RULE_USAGE);
            return null;
        }
        List<Word> left = words.subList(head.body(), arrow);
        List<Word> right = words.subList(arrow + 1, words.size());
        if (left.isEmpty()) {
            problems.add(
                    s.line(), "action", "the action is missing", "start the rule with allow, deny or step-up METHOD");
            return null;
        }
        Action action = action(left, s.line(), problems);
        // after step-up come the methods, then who; without methods (reported) who is the word after step-up
        int whoAt = left.get(0).is("step-up") && left.size() >= 3 ? 2 : 1;
        Subjects who = who(left, whoAt, s.line(), problems);
        List<Destination> where = where(right, s.line(), "where", book, problems);
        int during = indexOfDuring(right);
        List<String> serviceItems = new ArrayList<>();
        for (Word w : right.subList(Math.min(1, right.size()), during)) {
            if (Word.ARROW.equals(w)) {
                problems.add(s.line(), "rule " + head.name(), "there is more than one '->'", RULE_USAGE);
            } else {
                serviceItems.addAll(w.items());
            }
        }
        List<Service> services = ServiceParser.parse(serviceItems, s.line(), problems);
        TimeWindow window = during < right.size()
                ? WindowParser.parse(right.subList(during + 1, right.size()), s.line(), problems)
                : null;
        if (problems.count() != before) {
            return null;
        }
        return new Rule(head.name(), action, who, where, services, window, s.line());
    }

    /** The advertisement, or {@code null} when it has mistakes (reported). */
    static Advertisement advertisement(Statement s, Head head, AddressBook book, Problems problems) {
        int before = problems.count();
        List<Word> words = s.words();
        int arrow = words.indexOf(Word.ARROW);
        if (arrow < 0) {
            problems.add(
                    s.line(),
                    "advertise " + head.name(),
                    "there is no '->' between who and the subnets",
                    ADVERTISE_USAGE);
            return null;
        }
        List<Word> left = words.subList(head.body(), arrow);
        List<Word> right = words.subList(arrow + 1, words.size());
        Subjects who = who(left, 0, s.line(), problems);
        List<Destination> subnets = where(right, s.line(), "subnets", book, problems);
        if (right.size() > 1) {
            problems.add(
                    s.line(),
                    "subnets",
                    "unexpected '" + right.get(1).text() + "' after the subnets",
                    "an advertisement has no ports or window; separate several subnets with commas");
        }
        if (problems.count() != before) {
            return null;
        }
        return new Advertisement(head.name(), who, subnets, s.line());
    }

    private static boolean isAction(Word w) {
        return w.is("allow") || w.is("deny") || w.is("step-up");
    }

    private static Action action(List<Word> left, int line, Problems problems) {
        Word w = left.get(0);
        if (w.is("allow") || w.is("deny")) {
            return new Action(w.is("allow") ? Verdict.ALLOW : Verdict.DENY, List.of());
        }
        if (!w.is("step-up")) {
            problems.add(
                    line,
                    "action",
                    "'" + w.text() + "' is not an action",
                    "use allow, deny or step-up METHOD (step-up totp)");
            return null;
        }
        String fix = "name the auth method of the extra factor after step-up, as in step-up totp group:admins";
        if (left.size() < 3) {
            problems.add(line, "step-up", "no method is given", fix);
            return null;
        }
        for (String method : left.get(1).items()) {
            if (!METHOD.matcher(method).matches()) {
                problems.add(
                        line,
                        "step-up",
                        "'" + method + "' is not an auth method name (lower case letters, digits, -)",
                        fix);
                return null;
            }
        }
        return new Action(Verdict.STEP_UP, left.get(1).items());
    }

    private static Subjects who(List<Word> left, int at, int line, Problems problems) {
        if (left.size() <= at) {
            problems.add(line, "who", "nobody is named", "write user:NAME, group:NAME or * before '->'");
            return null;
        }
        if (left.size() > at + 1) {
            problems.add(
                    line,
                    "who",
                    "unexpected '" + left.get(at + 1).text() + "'",
                    "separate several with commas, as in group:admins,user:alice");
        }
        return SubjectParser.parse(left.get(at), line, problems);
    }

    private static List<Destination> where(
            List<Word> right, int line, String field, AddressBook book, Problems problems) {
        if (right.isEmpty() || Word.ARROW.equals(right.get(0)) || right.get(0).is("during")) {
            problems.add(
                    line,
                    field,
                    "nothing is named after '->'",
                    "write a host or network name, an address or prefix, or * for anywhere");
            return List.of();
        }
        List<Destination> out = new ArrayList<>();
        for (String entry : right.get(0).items()) {
            Destination d = book.resolve(entry, line, field, problems);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private static int indexOfDuring(List<Word> right) {
        for (int i = 1; i < right.size(); i++) {
            if (right.get(i).is("during")) {
                return i;
            }
        }
        return right.size();
    }
}
