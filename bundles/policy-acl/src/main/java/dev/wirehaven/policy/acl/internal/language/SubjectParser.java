package dev.wirehaven.policy.acl.internal.language;

import dev.wirehaven.policy.acl.internal.policy.Subjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code who} of a rule: {@code *}, {@code user:NAME}, {@code group:NAME}, several joined by commas. */
final class SubjectParser {

    private SubjectParser() {}

    /** The subjects, or {@code null} when an entry is wrong (reported). */
    static Subjects parse(Word who, int line, Problems problems) {
        boolean everyone = false;
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        int before = problems.count();
        for (String entry : who.items()) {
            int colon = entry.indexOf(':');
            String kind = colon < 0 ? entry : entry.substring(0, colon).toLowerCase(Locale.ROOT);
            String name = colon < 0 ? "" : entry.substring(colon + 1);
            if (entry.equals("*")) {
                everyone = true;
            } else if (colon > 0 && (kind.equals("user") || kind.equals("group")) && !name.isBlank()) {
                (kind.equals("user") ? users : groups).add(name);
            } else {
                problems.add(
                        line,
                        "who",
                        "'" + entry + "' is not a user, a group or everyone",
                        "write user:NAME, group:NAME or * (quote names with blanks: group:\"Domain Users\")");
            }
        }
        return problems.count() == before ? new Subjects(everyone, users, groups) : null;
    }
}
