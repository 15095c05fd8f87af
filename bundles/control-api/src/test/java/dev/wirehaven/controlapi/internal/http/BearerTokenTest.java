package dev.wirehaven.controlapi.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    @Test
    void theTokenIsTakenWithoutItsScheme() throws ApiRefusal {
        assertEquals("abc.DEF-123_~+/==", BearerToken.from("Bearer abc.DEF-123_~+/=="));
        assertEquals("t", BearerToken.from("bearer   t "));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "Bearer",
                "Bearer ",
                "Basic dXNlcjpwdw==",
                "Bearer a b",
                "Bearer a\"b",
                "Token abc",
                "Bearer =abc"
            })
    void anythingElseIs401(String header) {
        ApiRefusal refusal = assertThrows(ApiRefusal.class, () -> BearerToken.from(header));

        assertEquals(401, refusal.status());
        assertEquals(ApiRefusal.BEARER_CHALLENGE, refusal.headers().get("WWW-Authenticate"));
    }

    @Test
    void noHeaderIs401SayingWhatToSend() {
        ApiRefusal refusal = assertThrows(ApiRefusal.class, () -> BearerToken.from(null));

        assertEquals("unauthorized", refusal.body().error());
        assertEquals(true, refusal.body().message().contains("Authorization: Bearer <token>"));
    }
}
