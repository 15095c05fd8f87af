package dev.wirehaven.client.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.CredentialPrompter;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodChoiceTest {

    private static final MethodPrompt LDAP = new MethodPrompt("ldap", CredentialKind.PASSWORD, "LDAP password");
    private static final MethodPrompt OIDC = new MethodPrompt("oidc", CredentialKind.APPROVAL, "");
    private static final MethodPrompt TOKEN = new MethodPrompt("static-token", CredentialKind.BEARER_TOKEN, "");
    private static final MethodPrompt SMS = new MethodPrompt("sms", CredentialKind.ONE_TIME_CODE, "Code by SMS");

    /** A prompter that answers passwords and codes, as every 2.0 prompter does, plus {@code more}. */
    private static CredentialPrompter answering(CredentialKind... more) {
        Set<CredentialKind> also = Set.of(more);
        return new CredentialPrompter() {
            @Override
            public char[] password(URI server, String username) {
                return "pw".toCharArray();
            }

            @Override
            public String oneTimeCode(URI server, String username, String method) {
                return "123456";
            }

            @Override
            public boolean answers(CredentialKind kind) {
                return CredentialPrompter.super.answers(kind) || also.contains(kind);
            }
        };
    }

    private static MethodChoice choosing(String preferred, CredentialKind... more) {
        return new MethodChoice(answering(more), "alice", preferred);
    }

    @Test
    void fromAServerWithoutPromptsPasswordWhenOfferedElseTheServersFirstMethodByItsName() throws Exception {
        assertEquals(
                "password",
                choosing(null)
                        .first(List.of("static-token", "password"), List.of())
                        .method());
        MethodPrompt first = choosing(null).first(List.of("oidc", "static-token"), List.of());
        assertEquals("oidc", first.method());
        assertEquals(CredentialKind.BEARER_TOKEN, first.kind(), "a 1.0 server's unknown method is a token, as before");
        assertEquals(
                CredentialKind.ONE_TIME_CODE,
                choosing(null).first(List.of("totp"), List.of()).kind());
    }

    @Test
    void withPromptsTheKindDecidesNotTheName() throws Exception {
        MethodPrompt p = choosing(null).first(List.of("ldap"), List.of(LDAP));
        assertEquals(LDAP, p);
        assertEquals("LDAP password", p.prompt());
    }

    @Test
    void aPasswordMethodComesFirstWhenOfferedThenTheFirstKindThePrompterAnswers() throws Exception {
        assertEquals(LDAP, choosing(null).first(List.of("oidc", "ldap"), List.of(OIDC, LDAP)));
        assertEquals(SMS, choosing(null).first(List.of("oidc", "sms"), List.of(OIDC, SMS)));
        assertEquals(OIDC, choosing(null, CredentialKind.APPROVAL).first(List.of("oidc", "sms"), List.of(OIDC, SMS)));
    }

    @Test
    void aMethodWithoutItsPromptIsTakenByItsName() throws Exception {
        MethodPrompt p = choosing(null).first(List.of("oidc", "password"), List.of(OIDC));
        assertEquals(new MethodPrompt("password", CredentialKind.PASSWORD, ""), p);
    }

    @Test
    void noMethodThePrompterCanAnswerIsNoCredentialsNamingWhatWasAsked() {
        ClientException e = assertThrows(
                ClientException.class,
                () -> choosing(null).first(List.of("oidc", "static-token"), List.of(OIDC, TOKEN)));
        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertTrue(
                e.getMessage().contains("oidc (an approval in a browser) or static-token (a token)"), e.getMessage());
    }

    @Test
    void theApplicationsChoiceWinsWhateverItsKind() throws Exception {
        assertEquals(TOKEN, choosing("static-token").first(List.of("password", "static-token"), List.of(LDAP, TOKEN)));
        assertEquals(
                "static-token",
                choosing("static-token")
                        .first(List.of("password", "static-token"), List.of())
                        .method());
    }

    @Test
    void aChoiceTheServerDoesNotOfferIsRefusedNamingWhatItOffers() {
        ClientException e = assertThrows(
                ClientException.class, () -> choosing("oidc").first(List.of("password", "static-token"), List.of()));
        assertEquals(ClientException.Reason.REFUSED, e.reason());
        assertTrue(
                e.getMessage().contains("'oidc'") && e.getMessage().contains("password, static-token"), e.getMessage());
    }

    @Test
    void aFurtherFactorIsTheFirstThePrompterAnswersOrWithoutPromptsTheServersFirst() throws Exception {
        assertEquals(SMS, choosing(null).next(List.of("oidc", "sms"), List.of(OIDC, SMS)));
        assertEquals(SMS, choosing(null).next(List.of(), List.of(OIDC, SMS)), "a step-up names only prompts");
        assertEquals(
                "push", choosing(null).next(List.of("push", "totp"), List.of()).method());
    }
}
