package dev.wirehaven.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthRequestTest {

    @Test
    void completedMethodsAreCopied() {
        List<String> done = new ArrayList<>(List.of("password"));
        AuthRequest r = new AuthRequest(new OneTimeCode("123456"), null, Identity.of("alice"), done);
        done.add("totp");
        assertEquals(List.of("password"), r.completedMethods());
        assertThrows(
                UnsupportedOperationException.class, () -> r.completedMethods().add("x"));
    }

    @Test
    void completedMethodsWithoutAnEstablishedIdentityAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new AuthRequest(new OneTimeCode("1"), null, null, List.of("password")));
    }

    @Test
    void aFirstFactorRequestCarriesNoIdentity() {
        AuthRequest r = AuthRequest.firstFactor(new BearerToken("t"), null);
        assertFalse(r.isFurtherFactor());
        assertTrue(
                new AuthRequest(new OneTimeCode("1"), null, Identity.of("a"), List.of("password")).isFurtherFactor());
    }
}
