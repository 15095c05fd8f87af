package dev.wirehaven.policy.acl.internal.language;

import java.util.List;

/**
 * One statement of the file ({@code host}, {@code network}, {@code rule}, {@code advertise}): the line it
 * starts on and its words.
 */
record Statement(int line, List<Word> words) {

    Statement {
        words = List.copyOf(words);
    }

    /** The word at {@code index}, or {@code null} past the end. */
    Word word(int index) {
        return index < words.size() ? words.get(index) : null;
    }
}
