package dev.wirehaven.auth.totp.internal.factor;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The TOTP second factor's configuration as the Web Console and {@code etc/dev.wirehaven.auth.totp.cfg}
 * show it; optional, every value has its default. {@link TotpSettings} checks the values.
 */
@ObjectClassDefinition(
        id = TotpSettings.PID,
        name = "Wirehaven TOTP second factor",
        description = "Codes from an authenticator app (RFC 6238) as the auth method 'totp'. Digits and period apply to"
                + " new enrollments: an app already set up keeps what it was given.")
public @interface TotpConfig {

    @AttributeDefinition(
            name = "Issuer",
            description = "The name the authenticator app shows beside the account, such as the company's; no ':'.")
    String issuer() default TotpSettings.DEFAULT_ISSUER;

    @AttributeDefinition(
            name = "Window (steps)",
            min = "0",
            max = "5",
            description = "How many time steps before and after the server's a code may be from, for clocks that"
                    + " differ and codes typed late (RFC 6238 section 5.2 recommends 1).")
    int window_steps() default TotpSettings.DEFAULT_WINDOW_STEPS;

    @AttributeDefinition(
            name = "Digits",
            min = "6",
            max = "8",
            description = "The length of a code, for new enrollments; most apps show 6 only.")
    int digits() default TotpSettings.DEFAULT_DIGITS;

    @AttributeDefinition(
            name = "Period (seconds)",
            min = "10",
            max = "300",
            description = "How long a code lasts, for new enrollments; most apps honour 30 only.")
    int period_seconds() default TotpSettings.DEFAULT_PERIOD_SECONDS;
}
