package dev.wirehaven.auth.totp.internal.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtpAuthUriTest {

    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final Totp DEFAULT = new Totp(Totp.Algorithm.SHA1, 6, 30);

    @Test
    void hasTheKeyUriFormatWithAnUnpaddedSecret() {
        assertEquals(
                "otpauth://totp/Wirehaven:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Wirehaven"
                        + "&algorithm=SHA1&digits=6&period=30",
                OtpAuthUri.of("Wirehaven", "alice", SECRET, DEFAULT));
    }

    @Test
    void escapesSpacesColonsAndAtSignsInTheLabelAndTheIssuer() {
        String uri =
                OtpAuthUri.of("ACME VPN", "Jane Doe:ops@example.com", SECRET, new Totp(Totp.Algorithm.SHA1, 8, 60));

        assertEquals(
                "otpauth://totp/ACME%20VPN:Jane%20Doe%3Aops%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        + "&issuer=ACME%20VPN&algorithm=SHA1&digits=8&period=60",
                uri);
        // a URI parser reads the label back whole, with the one literal colon between issuer and account
        URI parsed = URI.create(uri);
        assertEquals("otpauth", parsed.getScheme());
        assertEquals("totp", parsed.getHost());
        assertEquals("/ACME VPN:Jane Doe:ops@example.com", parsed.getPath());
        assertEquals(1, parsed.getRawPath().chars().filter(c -> c == ':').count());
    }

    @Test
    void encodesOtherCharactersAsUtf8() {
        assertEquals("J%C3%BCrgen%20Gro%C3%9F", OtpAuthUri.encode("Jürgen Groß"));
        assertEquals("a%2Fb%3Fc%26d%3De%2Bf%23g", OtpAuthUri.encode("a/b?c&d=e+f#g"));
        assertEquals("A-z_0.9~", OtpAuthUri.encode("A-z_0.9~"));
    }

    @Test
    void refusesAnIssuerThatAppsCannotShow() {
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.checkIssuer("ACME:VPN"));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.checkIssuer(" "));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.checkIssuer(" ACME"));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.checkIssuer("ACME\nVPN"));
        assertThrows(IllegalArgumentException.class, () -> OtpAuthUri.checkIssuer("x".repeat(65)));
        assertTrue(OtpAuthUri.checkIssuer("ACME VPN").equals("ACME VPN"));
    }
}
