package dev.wirehaven.auth.totp.internal.codes;

import java.nio.charset.StandardCharsets;

/**
 * The {@code otpauth://totp/...} URI that authenticator apps import from a QR code (the Key URI Format
 * of Google Authenticator, which the other apps follow):
 * {@code otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30}.
 *
 * <p>The label's issuer and account and the issuer parameter are percent-encoded as UTF-8, everything
 * except RFC 3986's unreserved characters: a space becomes {@code %20} (never {@code +}, which apps
 * would show), and a {@code :} in a user name becomes {@code %3A}, so that the one literal colon is the
 * one between issuer and account. Apps split the decoded label at its first colon, which is why an
 * issuer must not contain one ({@link #checkIssuer}).
 */
public final class OtpAuthUri {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Longest issuer: it is shown in the app's list beside every code. */
    public static final int MAX_ISSUER_LENGTH = 64;

    private OtpAuthUri() {}

    /** The URI for {@code account}'s secret {@code secret} of {@code totp}'s parameters. */
    public static String of(String issuer, String account, byte[] secret, Totp totp) {
        checkIssuer(issuer);
        String issuerText = encode(issuer);
        return "otpauth://totp/" + issuerText + ":" + encode(account)
                + "?secret=" + Base32.encode(secret)
                + "&issuer=" + issuerText
                + "&algorithm=" + totp.algorithm().name()
                + "&digits=" + totp.digits()
                + "&period=" + totp.periodSeconds();
    }

    /**
     * Refuses an issuer that apps cannot show: blank, padded with white space, longer than
     * {@value #MAX_ISSUER_LENGTH} characters, or with a colon or a control character.
     *
     * @return the issuer, unchanged
     * @throws IllegalArgumentException naming the rule the issuer breaks
     */
    public static String checkIssuer(String issuer) {
        if (issuer == null || issuer.isBlank() || !issuer.strip().equals(issuer)) {
            throw new IllegalArgumentException("the issuer must not be blank or begin or end with white space");
        }
        if (issuer.length() > MAX_ISSUER_LENGTH) {
            throw new IllegalArgumentException("the issuer has more than " + MAX_ISSUER_LENGTH + " characters");
        }
        if (issuer.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the issuer must not contain ':' (apps split the label at it)");
        }
        if (issuer.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the issuer must not contain control characters");
        }
        return issuer;
    }

    /** Percent-encoding of everything but ALPHA, DIGIT and {@code - . _ ~} (RFC 3986 section 2.3). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() * 3);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0x0f]).append(HEX[b & 0x0f]);
            }
        }
        return out.toString();
    }
}
