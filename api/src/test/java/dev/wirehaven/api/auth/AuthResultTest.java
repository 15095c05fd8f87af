package dev.wirehaven.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthResultTest {

    @Test
    void successCarriesTheIdentityAndNothingElse() {
        AuthResult r = AuthResult.success(Identity.of("alice", "ops"));
        assertTrue(r.isSuccess());
        assertEquals("alice", r.identity().orElseThrow().user());
        assertEquals("", r.reason());
        assertEquals(List.of(), r.nextMethods());
    }

    @Test
    void failureWithoutAReasonUsesTheGenericWording() {
        AuthResult r = AuthResult.failure();
        assertEquals(AuthStatus.FAILURE, r.status());
        assertEquals(AuthResult.GENERIC_FAILURE, r.reason());
        assertEquals(Optional.empty(), r.identity());
    }

    @Test
    void anotherFactorNeedsAtLeastOneMethodAndCopiesTheList() {
        assertThrows(IllegalArgumentException.class, () -> AuthResult.needsAnotherFactor(Identity.of("a"), List.of()));
        List<String> methods = new ArrayList<>(List.of("totp"));
        AuthResult r = AuthResult.needsAnotherFactor(Identity.of("a"), methods);
        methods.add("sms");
        assertEquals(List.of("totp"), r.nextMethods());
        assertEquals("a", r.identity().orElseThrow().user());
    }

    @Test
    void blankReasonsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuthResult.failure(" "));
        assertThrows(IllegalArgumentException.class, () -> AuthResult.unavailable(""));
        assertThrows(NullPointerException.class, () -> AuthResult.success(null));
    }

    @Test
    void equalAnswersAreEqualValues() {
        assertEquals(AuthResult.unavailable("ldap down"), AuthResult.unavailable("ldap down"));
        assertEquals(
                AuthResult.success(Identity.of("a", "x")).hashCode(),
                AuthResult.success(Identity.of("a", "x")).hashCode());
    }
}
