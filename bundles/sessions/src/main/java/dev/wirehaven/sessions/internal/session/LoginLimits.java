package dev.wirehaven.sessions.internal.session;

import java.time.Duration;

/**
 * The limits on failed logins: {@code maxFailures} within {@code window} lock the user name (or the
 * source address) out for {@code firstLockout}; each further lockout doubles, up to {@code maxLockout}.
 */
record LoginLimits(int maxFailures, Duration window, Duration firstLockout, Duration maxLockout) {

    LoginLimits {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1");
        }
        if (window.isZero() || firstLockout.isZero() || maxLockout.compareTo(firstLockout) < 0) {
            throw new IllegalArgumentException(
                    "the window and lockouts must be positive, the longest at least the first");
        }
    }
}
