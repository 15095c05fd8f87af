package dev.wirehaven.api.auth;

import java.util.Objects;

/**
 * A one-time code (TOTP, HOTP, a code sent by message). It is usually a second factor: the user it
 * belongs to is the identity that the earlier factor established, found in
 * {@link AuthRequest#establishedIdentity()}.
 *
 * @param code the code as entered, with surrounding white space removed; not blank
 */
public record OneTimeCode(String code) implements Credential {

    /** Trims the code and rejects a blank one. */
    public OneTimeCode {
        Objects.requireNonNull(code, "code");
        code = code.strip();
        if (code.isEmpty()) {
            throw new IllegalArgumentException("the code is blank");
        }
    }

    @Override
    public CredentialKind kind() {
        return CredentialKind.ONE_TIME_CODE;
    }

    /** Deliberately opaque: a code is valid for a while and must not reach logs. */
    @Override
    public String toString() {
        return "OneTimeCode[redacted]";
    }
}
