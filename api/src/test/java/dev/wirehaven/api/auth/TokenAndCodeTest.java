package dev.wirehaven.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenAndCodeTest {

    @Test
    void tokensAndCodesNeverPrintTheirSecret() {
        assertFalse(new BearerToken("eyJhbGciOi.secret.part").toString().contains("secret"));
        assertFalse(new OneTimeCode("123456").toString().contains("123456"));
    }

    @Test
    void blankTokensAndCodesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BearerToken("  "));
        assertThrows(IllegalArgumentException.class, () -> new OneTimeCode(" \t"));
        assertThrows(NullPointerException.class, () -> new BearerToken(null));
    }

    @Test
    void aOneTimeCodeIsTrimmed() {
        assertEquals("123456", new OneTimeCode(" 123456\n").code());
    }

    @Test
    void eachCredentialNamesItsKind() {
        assertEquals(CredentialKind.BEARER_TOKEN, new BearerToken("t").kind());
        assertEquals(CredentialKind.ONE_TIME_CODE, new OneTimeCode("1").kind());
        assertEquals(CredentialKind.PASSWORD, new PasswordCredential("u", new char[0]).kind());
    }
}
