package dev.wirehaven.auth.totp.internal.store;

import dev.wirehaven.auth.totp.internal.codes.Totp;
import dev.wirehaven.auth.totp.internal.crypto.SecretCipher;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's authenticator: the row of {@code totp_secrets}. The secret is only here sealed (encrypted).
 *
 * @param user whose it is
 * @param sealed the encrypted secret and its nonce; the nonce also identifies this enrollment, so that a
 *        change made for one enrollment never lands on the next one
 * @param totp the algorithm, digits and period the user's app was given
 * @param confirmed true once a code from the app was accepted for it ({@code totp:confirm})
 * @param lastStep the time step of the newest code accepted, or {@link #NO_STEP}
 * @param createdAt when it was enrolled
 * @param confirmedAt when it was confirmed, or null
 */
public record StoredSecret(
        String user,
        SecretCipher.Sealed sealed,
        Totp totp,
        boolean confirmed,
        long lastStep,
        Instant createdAt,
        Instant confirmedAt) {

    /** {@link #lastStep()} before any code was accepted; every real step is at least 0. */
    public static final long NO_STEP = -1;

    public StoredSecret {
        UserNames.check(user);
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(totp, "totp");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A new, unconfirmed enrollment. */
    public static StoredSecret enrolled(String user, SecretCipher.Sealed sealed, Totp totp, Instant now) {
        return new StoredSecret(user, sealed, totp, false, NO_STEP, now, null);
    }

    /** Leaves the sealed secret out: not readable without the key, but nothing to print either. */
    @Override
    public String toString() {
        return "StoredSecret[" + user + ", " + totp + (confirmed ? ", confirmed" : ", unconfirmed") + ", last step "
                + lastStep + "]";
    }
}
