package dev.wirehaven.example.auth.statictoken.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.Credential;
import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaticTokenAuthProviderTest {

    /** SHA-256("abc") from FIPS 180-2, what {@code printf %s abc | sha256sum} prints. */
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private static String hexSha256(String token) {
        return HexFormat.of().formatHex(StaticTokenAuthProvider.sha256(token));
    }

    private static AuthResult ask(StaticTokenAuthProvider p, Credential c) {
        return p.authenticate(AuthRequest.firstFactor(c, null));
    }

    @Test
    void aConfiguredTokenAuthenticatesItsUserWithGroups() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of(
                "alice:" + hexSha256("alice-token-4f8a") + ":ops,vpn-users", "bot:" + hexSha256("bot-token") + ":"));

        AuthResult alice = ask(p, new BearerToken("alice-token-4f8a"));
        assertTrue(alice.isSuccess());
        Identity id = alice.identity().orElseThrow();
        assertEquals("alice", id.user());
        assertEquals(Set.of("ops", "vpn-users"), id.groups());

        AuthResult bot = ask(p, new BearerToken("bot-token"));
        assertEquals("bot", bot.identity().orElseThrow().user());
        assertEquals(Set.of(), bot.identity().orElseThrow().groups());
    }

    @Test
    void anUnknownTokenFailsWithTheGenericReason() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of("alice:" + hexSha256("right") + ":ops"));
        AuthResult r = ask(p, new BearerToken("wrong"));
        assertEquals(AuthStatus.FAILURE, r.status());
        assertEquals(AuthResult.GENERIC_FAILURE, r.reason());
    }

    @Test
    void withoutConfigurationEveryTokenFails() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of());
        assertEquals(AuthStatus.FAILURE, ask(p, new BearerToken("anything")).status());
    }

    @Test
    void theConfiguredHashIsPlainSha256OfTheTokenAsSha256sumPrintsIt() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of("alice:" + ABC_SHA256 + ":ops"));
        assertTrue(ask(p, new BearerToken("abc")).isSuccess());
        StaticTokenAuthProvider upper =
                new StaticTokenAuthProvider(List.of("alice:" + ABC_SHA256.toUpperCase() + ":ops"));
        assertTrue(ask(upper, new BearerToken("abc")).isSuccess(), "hex digits in either case");
    }

    @Test
    void theHashItselfIsNotAcceptedAsTheToken() {
        String hash = hexSha256("alice-token-4f8a");
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of("alice:" + hash + ":ops"));
        assertFalse(ask(p, new BearerToken(hash)).isSuccess());
    }

    @Test
    void otherCredentialKindsFail() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of("alice:" + hexSha256("t") + ":ops"));
        assertEquals(
                AuthStatus.FAILURE,
                ask(p, new PasswordCredential("alice", "t".toCharArray())).status());
    }

    @Test
    void aBadEntryFailsActivationNamingItsPositionButNotItsContent() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new StaticTokenAuthProvider(List.of("alice:" + hexSha256("t") + ":ops", "bob:deadbeef:ops")));
        assertTrue(e.getMessage().contains("tokens[1]"), e.getMessage());
        assertFalse(e.getMessage().contains("deadbeef"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StaticTokenAuthProvider(List.of("no-colons")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StaticTokenAuthProvider(List.of(":" + hexSha256("t") + ":ops")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StaticTokenAuthProvider(List.of("a:" + "zz".repeat(32) + ":ops")));
    }

    @Test
    void theProviderNamesItsMethodAndCredentialKind() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of());
        assertEquals("static-token", p.method());
        assertEquals(Set.of(dev.wirehaven.api.auth.CredentialKind.BEARER_TOKEN), p.credentialKinds());
    }

    @Test
    void theClientIsAskedForATokenWithTheProvidersOwnWords() {
        StaticTokenAuthProvider p = new StaticTokenAuthProvider(List.of());

        assertEquals("API token issued by your operator", p.prompt(CredentialKind.BEARER_TOKEN));
        assertEquals(Set.of(CredentialKind.BEARER_TOKEN), p.credentialKinds());
    }
}
