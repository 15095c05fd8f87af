package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.auth.totp.internal.codes.PresentedCode;
import dev.wirehaven.auth.totp.internal.crypto.KeyFileException;
import dev.wirehaven.auth.totp.internal.crypto.SecretCipher;
import dev.wirehaven.auth.totp.internal.crypto.TotpKeys;
import dev.wirehaven.auth.totp.internal.crypto.UnreadableSecretException;
import dev.wirehaven.auth.totp.internal.store.StoredSecret;
import dev.wirehaven.auth.totp.internal.store.TotpRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a user's second factor: a code from the authenticator app, or one of the user's backup codes.
 * Only a confirmed authenticator counts. A code is accepted once: its time step is recorded, and a
 * code of that step or an older one is refused from then on; a backup code is deleted as it is used. Both
 * are decided by one conditional statement in the store, so that two logins presenting the same code at
 * once get one success between them.
 */
final class Verification {

    /** How a check came out. */
    enum Outcome {
        /** A code of the app, not used before. */
        ACCEPTED,
        /** One of the user's backup codes, now used up. */
        ACCEPTED_BACKUP_CODE,
        /** Not a valid code of this user now (wrong, used, too old, or malformed). */
        REFUSED,
        /** The user has no confirmed authenticator. */
        NOT_ENROLLED
    }

    /**
     * @param outcome how it came out
     * @param backupCodesLeft for {@link Outcome#ACCEPTED_BACKUP_CODE}: how many the user has left; else 0
     */
    record Verdict(Outcome outcome, int backupCodesLeft) {
        static final Verdict ACCEPTED = new Verdict(Outcome.ACCEPTED, 0);
        static final Verdict REFUSED = new Verdict(Outcome.REFUSED, 0);
        static final Verdict NOT_ENROLLED = new Verdict(Outcome.NOT_ENROLLED, 0);
    }

    /** The operator's reason why the factor cannot be checked now (the key file); never a secret. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final TotpRepository repository;
    private final Keyring keyring;
    private final SecureRandom random;
    private final Clock clock;
    private final int windowSteps;

    Verification(TotpRepository repository, Keyring keyring, SecureRandom random, Clock clock, int windowSteps) {
        this.repository = repository;
        this.keyring = keyring;
        this.random = random;
        this.clock = clock;
        this.windowSteps = windowSteps;
    }

    /** True when {@code user} has a confirmed authenticator. */
    boolean enrolled(String user) {
        return repository.find(user).map(StoredSecret::confirmed).orElse(false);
    }

    /**
     * Checks {@code code} as {@code user}'s second factor, and uses it up when it is right.
     *
     * @throws UnavailableException when the key file cannot be used or the user's secret does not decrypt
     * @throws dev.wirehaven.server.support.store.StoreException when the store fails
     */
    Verdict check(String user, String code) throws UnavailableException {
        PresentedCode presented = PresentedCode.of(code);
        if (presented instanceof PresentedCode.Malformed) {
            return Verdict.REFUSED;
        }
        Optional<StoredSecret> stored = repository.find(user);
        if (stored.isEmpty() || !stored.get().confirmed()) {
            return Verdict.NOT_ENROLLED;
        }
        StoredSecret secret = stored.get();
        try {
            TotpKeys keys = keyring.required();
            if (presented instanceof PresentedCode.Backup backup) {
                if (!repository.useBackupCode(user, keys.backupCodeHash(user, backup.normal()))) {
                    return Verdict.REFUSED;
                }
                return new Verdict(Outcome.ACCEPTED_BACKUP_CODE, repository.backupCodesLeft(user));
            }
            String digits = ((PresentedCode.TimeBased) presented).digits();
            if (digits.length() != secret.totp().digits()) {
                return Verdict.REFUSED;
            }
            OptionalLong step = matchingStep(keys, secret, digits);
            if (step.isEmpty()) {
                return Verdict.REFUSED;
            }
            return repository.acceptStep(user, secret.sealed().nonce(), step.getAsLong())
                    ? Verdict.ACCEPTED
                    : Verdict.REFUSED;
        } catch (KeyFileException e) {
            throw new UnavailableException(e.getMessage(), e);
        } catch (UnreadableSecretException e) {
            throw new UnavailableException(
                    "The TOTP secret of " + user + " cannot be decrypted with the key file "
                            + keyring.file().path() + " (" + e.getMessage()
                            + "): was the key file replaced, or the store restored without it?",
                    e);
        }
    }

    /** The step of the window, after the last accepted one, whose code {@code digits} is. */
    OptionalLong matchingStep(TotpKeys keys, StoredSecret secret, String digits) throws UnreadableSecretException {
        byte[] plain = new SecretCipher(keys, random).open(secret.user(), secret.sealed());
        try {
            return secret.totp().matchingStep(plain, digits, clock.instant(), windowSteps, secret.lastStep());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
