package dev.wirehaven.api.policy;

import java.util.Objects;

/**
 * One rule or other named statement of a policy in force, as the engine reads it.
 *
 * @param line the line of the policy file where it starts, from 1
 * @param name its name, unique in the file
 * @param text the statement as the engine understood it, in the file's own syntax
 */
public record PolicyStatement(int line, String name, String text) {

    /** Rejects missing parts. */
    public PolicyStatement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
