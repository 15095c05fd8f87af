package dev.wirehaven.policy.acl.internal.language;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The mistakes found so far in one file; parsing goes on after each, so that all are reported at once. */
final class Problems {

    private final String source;
    private final List<PolicyError> errors = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void add(int line, String field, String problem, String fix) {
        errors.add(new PolicyError(source, line, field, problem, fix));
    }

    /** How many so far: a parser compares the count before and after a part to see whether the part was good. */
    int count() {
        return errors.size();
    }

    /** The mistakes by line (stable within a line: in the order found). */
    List<PolicyError> sorted() {
        List<PolicyError> copy = new ArrayList<>(errors);
        copy.sort(Comparator.comparingInt(PolicyError::line));
        return copy;
    }
}
