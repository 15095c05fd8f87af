package dev.wirehaven.client.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.client.ClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthMethodChoiceTest {

    private static Authenticator choosing(String preferred) {
        return new Authenticator(null, null, "alice", preferred);
    }

    @Test
    void withoutAChoiceAnswersPasswordWhenOfferedElseTheServersFirstMethod() throws Exception {
        assertEquals("password", choosing(null).chooseMethod(List.of("static-token", "password")));
        assertEquals("oidc", choosing(null).chooseMethod(List.of("oidc", "static-token")));
    }

    @Test
    void theApplicationsChoiceWinsOverPassword() throws Exception {
        assertEquals("static-token", choosing("static-token").chooseMethod(List.of("password", "static-token")));
    }

    @Test
    void aChoiceTheServerDoesNotOfferIsRefusedNamingWhatItOffers() {
        ClientException e = assertThrows(
                ClientException.class, () -> choosing("oidc").chooseMethod(List.of("password", "static-token")));
        assertEquals(ClientException.Reason.REFUSED, e.reason());
        assertTrue(
                e.getMessage().contains("'oidc'") && e.getMessage().contains("password, static-token"), e.getMessage());
    }
}
