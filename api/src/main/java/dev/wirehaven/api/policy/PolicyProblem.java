package dev.wirehaven.api.policy;

import java.util.Objects;

/**
 * One mistake in a policy file, in the operator's terms.
 *
 * @param source the file
 * @param line the line, from 1; 0 when the problem is the file as a whole (unsafe permissions, not
 *        readable, not UTF-8), which is then not read at all
 * @param field the part of the line in the file's own words ({@code ports}, {@code who},
 *        {@code zone}), or {@code file} for the file as a whole
 * @param problem what is wrong
 * @param fix how to fix it
 */
public record PolicyProblem(String source, int line, String field, String problem, String fix) {

    /** Rejects missing parts. */
    public PolicyProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
        if (line < 0) {
            throw new IllegalArgumentException("a line is 0 or more: " + line);
        }
    }

    /** {@code <file>:<line>: <field>: <problem>; <fix>}, as the engine logs it. */
    @Override
    public String toString() {
        return source + ":" + line + ": " + field + ": " + problem + "; " + fix;
    }
}
