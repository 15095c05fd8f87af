package dev.wirehaven.console.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.PasswordCredential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthorizationTest {

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsUserAndPassword() {
        // RFC 7617 section 2's example: Aladdin / open sesame
        PasswordCredential c =
                BasicAuthorization.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").orElseThrow();
        assertEquals("Aladdin", c.username());
        assertArrayEquals("open sesame".toCharArray(), c.password());
    }

    @Test
    void theUserEndsAtTheFirstColonSoPasswordsMayContainColons() {
        PasswordCredential c = BasicAuthorization.parse(basic("admin:a:b::c")).orElseThrow();
        assertEquals("admin", c.username());
        assertArrayEquals("a:b::c".toCharArray(), c.password());
    }

    @Test
    void theSchemeIsCaseInsensitiveAndUtf8IsDecoded() {
        PasswordCredential c = BasicAuthorization.parse(
                        "bAsIc  " + basic("jürgen:pässwört€").substring(6))
                .orElseThrow();
        assertEquals("jürgen", c.username());
        assertArrayEquals("pässwört€".toCharArray(), c.password());
    }

    @Test
    void anEmptyPasswordIsAPasswordToCheckNotAMalformedHeader() {
        assertEquals(0, BasicAuthorization.parse(basic("admin:")).orElseThrow().password().length);
    }

    @Test
    void missingOtherSchemeOrMalformedHeadersGiveNothing() {
        assertTrue(BasicAuthorization.parse(null).isEmpty());
        assertTrue(BasicAuthorization.parse("").isEmpty());
        assertTrue(BasicAuthorization.parse("Basic").isEmpty());
        assertTrue(BasicAuthorization.parse("Bearer eyJhbGciOi").isEmpty());
        assertTrue(BasicAuthorization.parse("Basic !!!not-base64!!!").isEmpty());
        assertTrue(BasicAuthorization.parse(basic("no-colon")).isEmpty());
        assertTrue(BasicAuthorization.parse(basic(":password-without-user")).isEmpty());
        String invalidUtf8 =
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xC3, (byte) 0x28});
        assertTrue(BasicAuthorization.parse(invalidUtf8).isEmpty());
    }
}
