package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.policy.acl.internal.language.PolicyError;
import dev.wirehaven.policy.acl.internal.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy in force with its version, and the problem with the file as it is now (if any). The
 * watcher swaps the policy whole; decisions read it without a lock and see one policy or the next, never
 * a mix.
 */
final class ActivePolicy {

    /**
     * A policy in force.
     *
     * @param policy the policy
     * @param number 0 for the empty policy before any file was loaded, then 1, 2, ... for each one loaded
     * @param since when it was loaded, or {@code null} for version 0
     * @param text the file's content as it was loaded, empty for version 0 (for the operator's view: the
     *     file itself may have changed since)
     */
    record Version(Policy policy, long number, Instant since, String text) {
        Version {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Why the file as it is now is not in force.
     *
     * @param at when the watcher found it
     * @param messages the mistakes, or the reason for refusing the file, one per line
     * @param errors the same by their parts; a refused file is one error of line 0, field {@code file}
     */
    record Rejection(Instant at, List<String> messages, List<PolicyError> errors) {
        Rejection {
            Objects.requireNonNull(at, "at");
            messages = List.copyOf(messages);
            errors = List.copyOf(errors);
        }
    }

    private final AtomicReference<Version> current;
    private final AtomicReference<Rejection> rejection = new AtomicReference<>();

    /** No policy yet: version 0, no rules. */
    ActivePolicy(String source) {
        current = new AtomicReference<>(new Version(Policy.empty(source), 0, null, ""));
    }

    Version current() {
        return current.get();
    }

    /**
     * Puts {@code policy}, parsed from {@code text}, in force as the next version and clears the rejection;
     * returns the new version.
     */
    Version install(Policy policy, String text, Instant at) {
        Version next = current.updateAndGet(v -> new Version(policy, v.number() + 1, at, text));
        rejection.set(null);
        return next;
    }

    void reject(Rejection r) {
        rejection.set(r);
    }

    /** Why the file is not in force, if it is not. */
    Optional<Rejection> rejection() {
        return Optional.ofNullable(rejection.get());
    }
}
