package dev.wirehaven.api.admin;

import java.util.Objects;

/**
 * Whether a user has an authenticator for the second factor.
 *
 * @param user the user name
 * @param state none, enrolled but not confirmed, or confirmed
 * @param backupCodesLeft the unused backup codes; 0 unless {@link State#CONFIRMED}
 * @since 1.1
 */
public record SecondFactorStatus(String user, State state, int backupCodesLeft) {

    /** Where a user's enrollment stands. */
    public enum State {
        /** No authenticator: logins do not ask for its codes unless the realm asks everyone. */
        NONE,
        /**
         * A secret was made but no code from the app has confirmed it yet; the user still counts as not
         * enrolled, so that a failed scan never locks anyone out.
         */
        UNCONFIRMED,
        /** Confirmed with a code from the app: logins ask for its codes where the realm says so. */
        CONFIRMED
    }

    /** Validates. */
    public SecondFactorStatus {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(state, "state");
        if (backupCodesLeft < 0 || (state != State.CONFIRMED && backupCodesLeft != 0)) {
            throw new IllegalArgumentException("backup codes exist only for a confirmed authenticator");
        }
    }
}
