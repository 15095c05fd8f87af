package dev.wirehaven.sessions.internal.session;

/**
 * The limits on credential checks (an auth provider's work: Argon2 hashing, a directory call): how
 * many run at once, and how many more may wait for their turn before a login is refused as BUSY.
 *
 * @param concurrent checks that run at once, at least 1
 * @param queued checks that may wait for a free place, 0 for none
 */
record VerificationLimits(int concurrent, int queued) {

    VerificationLimits {
        if (concurrent < 1 || queued < 0) {
            throw new IllegalArgumentException("at least one concurrent check, and no negative queue");
        }
    }
}
