package dev.wirehaven.api.monitor;

/** How urgent a {@link SecurityEvent} is, from a note for the record to "act now". */
public enum Severity {
    /** Worth recording, nothing to do (an operator logged in). */
    INFO,
    /** Unusual but expected now and then (one failed login). */
    LOW,
    /** A pattern that may be an attack (repeated failed logins from one address, rate limiting). */
    MEDIUM,
    /** Very likely an attack or a breach of policy (a client sending from addresses it was not given). */
    HIGH,
    /** Needs an operator now (the admin credential was guessed at, a key was reused across sessions). */
    CRITICAL;

    /** True when this severity is at least {@code other}. */
    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
