package dev.wirehaven.auth.totp.internal.factor;

import dev.wirehaven.auth.totp.internal.codes.OtpAuthUri;
import dev.wirehaven.auth.totp.internal.codes.Totp;
import java.util.Map;

/**
 * The checked configuration (PID {@value #PID}): the issuer that apps show, the window of steps a code
 * may be from, and the digits and period of new enrollments. The algorithm is SHA1 and not configurable:
 * it is RFC 6238's default and the one that every authenticator app honours (several ignore the URI's
 * {@code algorithm} and would show wrong codes for another).
 *
 * @param issuer see {@link OtpAuthUri#checkIssuer}
 * @param windowSteps 0 to {@value #MAX_WINDOW_STEPS}
 * @param digits {@link Totp#MIN_DIGITS} to {@link Totp#MAX_DIGITS}
 * @param periodSeconds {@value #MIN_PERIOD_SECONDS} to {@value #MAX_PERIOD_SECONDS}
 */
record TotpSettings(String issuer, int windowSteps, int digits, int periodSeconds) {

    static final String PID = "dev.wirehaven.auth.totp";

    static final String DEFAULT_ISSUER = "Wirehaven";
    static final int DEFAULT_WINDOW_STEPS = 1;
    static final int DEFAULT_DIGITS = 6;
    static final int DEFAULT_PERIOD_SECONDS = 30;

    /** A wider window accepts codes minutes old, which only helps whoever read one over a shoulder. */
    static final int MAX_WINDOW_STEPS = 5;

    static final int MIN_PERIOD_SECONDS = 10;
    static final int MAX_PERIOD_SECONDS = 300;

    static final TotpSettings DEFAULTS =
            new TotpSettings(DEFAULT_ISSUER, DEFAULT_WINDOW_STEPS, DEFAULT_DIGITS, DEFAULT_PERIOD_SECONDS);

    static final String ISSUER = "issuer";
    static final String WINDOW_STEPS = "window.steps";
    static final String DIGITS = "digits";
    static final String PERIOD_SECONDS = "period.seconds";

    /** @throws IllegalArgumentException naming the key whose value is wrong, and the values allowed */
    TotpSettings {
        try {
            OtpAuthUri.checkIssuer(issuer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ISSUER + ": " + e.getMessage(), e);
        }
        within(WINDOW_STEPS, windowSteps, 0, MAX_WINDOW_STEPS);
        within(DIGITS, digits, Totp.MIN_DIGITS, Totp.MAX_DIGITS);
        within(PERIOD_SECONDS, periodSeconds, MIN_PERIOD_SECONDS, MAX_PERIOD_SECONDS);
    }

    static TotpSettings of(TotpConfig config) {
        return new TotpSettings(config.issuer(), config.window_steps(), config.digits(), config.period_seconds());
    }

    /**
     * From the text values of a {@code .cfg} file (what the offline command line reads); a missing key
     * has its default.
     *
     * @throws IllegalArgumentException naming the key whose value is wrong
     */
    static TotpSettings of(Map<String, String> values) {
        return new TotpSettings(
                values.getOrDefault(ISSUER, DEFAULT_ISSUER).strip(),
                number(values, WINDOW_STEPS, DEFAULT_WINDOW_STEPS),
                number(values, DIGITS, DEFAULT_DIGITS),
                number(values, PERIOD_SECONDS, DEFAULT_PERIOD_SECONDS));
    }

    /** The parameters of a new enrollment. */
    Totp newEnrollment() {
        return new Totp(Totp.Algorithm.SHA1, digits, periodSeconds);
    }

    private static int number(Map<String, String> values, String key, int otherwise) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + raw.strip() + "' is not a whole number", e);
        }
    }

    private static void within(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is outside " + min + ".." + max);
        }
    }
}
