package dev.wirehaven.policy.acl.internal.language;

import java.util.Objects;

/**
 * One mistake in a policy file, said in the operator's terms: where, which part of the line, what is
 * wrong and how to fix it. Printed as {@code <file>:<line>: <field>: <what is wrong>; <how to fix>}, the
 * shape compilers use, so that an editor can jump to the line.
 *
 * @param source the file
 * @param line the line, from 1; 0 for the file as a whole (the engine refused to read it)
 * @param field the part of the line in the file's own words: {@code ports}, {@code who}, {@code zone}
 *     ({@code file} for the file as a whole)
 * @param problem what is wrong
 * @param fix how to fix it
 */
public record PolicyError(String source, int line, String field, String problem, String fix) {

    /** Rejects missing parts. */
    public PolicyError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return source + ":" + line + ": " + field + ": " + problem + "; " + fix;
    }
}
