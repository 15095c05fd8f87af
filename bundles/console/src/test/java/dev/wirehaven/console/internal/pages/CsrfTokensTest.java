package dev.wirehaven.console.internal.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {

    private final CsrfTokens tokens = new CsrfTokens(new SecureRandom());

    @Test
    void theAdminsOwnTokenPasses_andStaysTheSameWhileTheConsoleRuns() {
        String token = tokens.tokenFor("admin");
        assertTrue(tokens.verify("admin", token));
        assertEquals(token, tokens.tokenFor("admin"), "two tabs of the console both work");
        assertEquals(43, token.length(), "256 bits, base64url without padding");
    }

    @Test
    void anyOtherTokenFails() {
        String token = tokens.tokenFor("admin");
        assertFalse(tokens.verify("admin", null));
        assertFalse(tokens.verify("admin", ""));
        assertFalse(tokens.verify("admin", token.substring(1)));
        assertFalse(tokens.verify("admin", (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1)));
        assertFalse(tokens.verify("admin", token + "A"));
    }

    @Test
    void aTokenIsTiedToItsUser_andNoUserHasNone() {
        String token = tokens.tokenFor("admin");
        assertFalse(tokens.verify("other", token));
        assertFalse(tokens.verify(null, token));
        assertFalse(tokens.verify("", tokens.tokenFor("")));
    }

    @Test
    void aRestartMakesNewTokens() {
        CsrfTokens afterRestart = new CsrfTokens(new SecureRandom());
        assertNotEquals(tokens.tokenFor("admin"), afterRestart.tokenFor("admin"));
        assertFalse(afterRestart.verify("admin", tokens.tokenFor("admin")));
    }
}
