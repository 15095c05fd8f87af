package dev.wirehaven.policy.acl.internal.language;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file with mistakes: all of them, in line order, so that the operator fixes them in one go. */
public final class InvalidPolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<PolicyError> errors;

    InvalidPolicyException(List<PolicyError> errors) {
        super(errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    /** The mistakes, at least one. */
    public List<PolicyError> errors() {
        return errors;
    }
}
