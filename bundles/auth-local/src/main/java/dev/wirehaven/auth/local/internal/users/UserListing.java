package dev.wirehaven.auth.local.internal.users;

import dev.wirehaven.auth.local.internal.store.User;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A user as an operator sees it in a list: no hash, which never leaves the store.
 *
 * @param name the user name
 * @param disabled true when the user may not log in
 * @param createdAt when the user was added
 */
record UserListing(String name, boolean disabled, Instant createdAt) {

    static UserListing of(User user) {
        return new UserListing(user.name(), user.disabled(), user.createdAt());
    }

    /**
     * The users as a table for a terminal, or a sentence when there are none.
     *
     * <pre>
     * NAME   DISABLED  CREATED
     * alice  no        2026-11-25T10:00:00Z
     * bob    yes       2026-11-25T10:02:13Z
     * </pre>
     */
    static String table(List<UserListing> users) {
        if (users.isEmpty()) {
            return "No users.\n";
        }
        int width = "NAME".length();
        for (UserListing u : users) {
            width = Math.max(width, u.name().length());
        }
        StringBuilder out = new StringBuilder();
        row(out, width, "NAME", "DISABLED", "CREATED");
        for (UserListing u : users) {
            row(
                    out,
                    width,
                    u.name(),
                    u.disabled() ? "yes" : "no",
                    u.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, int width, String name, String disabled, String created) {
        out.append(name)
                .append(" ".repeat(width - name.length()))
                .append("  ")
                .append(disabled)
                .append(" ".repeat("DISABLED".length() - disabled.length()))
                .append("  ")
                .append(created)
                .append('\n');
    }
}
