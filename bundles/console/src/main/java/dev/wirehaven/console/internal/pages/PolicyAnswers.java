package dev.wirehaven.console.internal.pages;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The last answer of each of the Policy page's two forms, kept for the GET that follows the post's
 * redirect: the redirect carries only a fixed outcome name, and a candidate's problems or a check's rule
 * are not fixed text. One answer of each kind, because there is one admin credential; a newer post
 * replaces it.
 */
final class PolicyAnswers {

    private final AtomicReference<PolicyView.Validation> validation = new AtomicReference<>();
    private final AtomicReference<PolicyView.Checked> check = new AtomicReference<>();

    void validated(PolicyView.Validation answer) {
        validation.set(answer);
    }

    void checked(PolicyView.Checked answer) {
        check.set(answer);
    }

    /** The last validation, or null. */
    PolicyView.Validation validation() {
        return validation.get();
    }

    /** The last check, or null. */
    PolicyView.Checked check() {
        return check.get();
    }
}
