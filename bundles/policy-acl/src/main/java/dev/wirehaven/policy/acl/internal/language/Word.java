package dev.wirehaven.policy.acl.internal.language;

import java.util.List;
import java.util.Locale;

/**
 * A word of a statement: one item, or several joined by commas ({@code tcp/22,443},
 * {@code group:a, group:b}); quotes are already removed from the items.
 *
 * @param items the items, at least one
 */
record Word(List<String> items) {

    /** The word of {@code ->}. */
    static final Word ARROW = new Word(List.of("->"));

    Word {
        items = List.copyOf(items);
    }

    /** True when the word is the single keyword {@code keyword}, in any case. */
    boolean is(String keyword) {
        return items.size() == 1 && items.get(0).toLowerCase(Locale.ROOT).equals(keyword);
    }

    /** The word as written (items joined by commas), for messages. */
    String text() {
        return String.join(",", items);
    }
}
