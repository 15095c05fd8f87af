package dev.wirehaven.auth.totp.internal.codes;

import java.util.Optional;

/**
 * What a person typed as the second factor, told apart by its shape before anything is looked up: the
 * digits of a TOTP code, a backup code, or neither. Spaces and hyphens are ignored, since apps show
 * codes as {@code 123 456} and backup codes are printed as {@code abcde-fghij}.
 */
public sealed interface PresentedCode {

    /** Digits from the authenticator app, {@link Totp#MIN_DIGITS} to {@link Totp#MAX_DIGITS} of them. */
    record TimeBased(String digits) implements PresentedCode {
        @Override
        public String toString() {
            return "TimeBased[redacted]";
        }
    }

    /** A backup code in its normal form (see {@link BackupCodes#normalise}). */
    record Backup(String normal) implements PresentedCode {
        @Override
        public String toString() {
            return "Backup[redacted]";
        }
    }

    /** Anything else: it cannot be right, whoever's code it is. */
    record Malformed() implements PresentedCode {}

    /** Sorts {@code entered} into one of the three. */
    static PresentedCode of(String entered) {
        String compact = entered.replace(" ", "").replace("-", "");
        if (compact.length() >= Totp.MIN_DIGITS
                && compact.length() <= Totp.MAX_DIGITS
                && compact.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new TimeBased(compact);
        }
        Optional<String> backup = BackupCodes.normalise(entered);
        return backup.<PresentedCode>map(Backup::new).orElseGet(Malformed::new);
    }
}
