package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.Approval;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PendingApproval;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device login (RFC 8628) end to end: our provider against a real Keycloak, the person's
 * approval given in a real browser.
 *
 * <pre>
 *   test JVM                                  Keycloak 26 (bin/kc.sh start-dev, 127.0.0.1:&lt;port&gt;)
 *   ┌──────────────────┐  device authorization  ┌──────────────────────────────────────────────┐
 *   │ OidcAuthProvider │ ─── token polls ─────▶ │ realm wh: public client wirehaven-vpn (device │
 *   └──────────────────┘      discovery, JWKS   │ grant, consent), group vpn-users → "groups", │
 *                                               │ user alice in vpn-users                       │
 *   ┌──────────────────┐  /realms/wh/device     │                                               │
 *   │ Chromium (Selenium)│ ─ code, login, consent ▶                                             │
 *   └──────────────────┘                        └──────────────────────────────────────────────┘
 * </pre>
 *
 * Keycloak starts once for the class (about 40 s the first time, 10–15 s later) and is stopped,
 * process tree and all, after it.
 */
class OidcDeviceGrantIT {

    private static final String REALM = "wh";
    private static final String CLIENT = "wirehaven-vpn";
    private static final String USER = "alice";

    /** How long a test waits for the provider's answer after the person's approval. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private static KeycloakServer keycloak;
    private static String password;

    private OidcAuthProvider provider;

    @BeforeAll
    static void startKeycloak() throws IOException, InterruptedException {
        keycloak = KeycloakServer.start();
        password = HexFormat.of().formatHex(new SecureRandom().generateSeed(9));
        keycloak.createRealm(realm(password));
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @AfterEach
    void closeProvider() throws IOException {
        if (provider != null) {
            provider.close();
        }
    }

    /**
     * Realm {@code wh}: the public client with the device grant and a consent question, a group mapper
     * that puts the user's groups (plain names) as {@code groups} into ID and access tokens, and
     * {@code alice} in {@code vpn-users}, with every profile attribute that Keycloak 26 requires so that
     * the login asks for nothing else.
     */
    private static String realm(String password) {
        return """
                {
                  "realm": "%s",
                  "enabled": true,
                  "groups": [{"name": "vpn-users"}],
                  "clients": [{
                    "clientId": "%s",
                    "enabled": true,
                    "publicClient": true,
                    "standardFlowEnabled": false,
                    "directAccessGrantsEnabled": false,
                    "consentRequired": true,
                    "attributes": {"oauth2.device.authorization.grant.enabled": "true"},
                    "protocolMappers": [{
                      "name": "groups",
                      "protocol": "openid-connect",
                      "protocolMapper": "oidc-group-membership-mapper",
                      "config": {
                        "claim.name": "groups",
                        "full.path": "false",
                        "id.token.claim": "true",
                        "access.token.claim": "true",
                        "userinfo.token.claim": "true"
                      }
                    }]
                  }],
                  "users": [{
                    "username": "%s",
                    "enabled": true,
                    "email": "alice@example.com",
                    "emailVerified": true,
                    "firstName": "Alice",
                    "lastName": "Example",
                    "credentials": [{"type": "password", "value": "%s", "temporary": false}],
                    "groups": ["/vpn-users"]
                  }]
                }
                """.formatted(REALM, CLIENT, USER, password);
    }

    private OidcAuthProvider provider() {
        provider = OidcAuthProvider.create(
                TestConfigs.settings(Map.of("issuer", keycloak.issuer(REALM), "clientId", CLIENT)), Clock.systemUTC());
        return provider;
    }

    private static AuthResult ask(OidcAuthProvider provider, Approval approval) {
        return provider.authenticate(AuthRequest.firstFactor(approval, null));
    }

    private static PendingApproval pending(AuthResult result) {
        assertEquals(AuthStatus.PENDING, result.status(), result::toString);
        return result.pendingApproval().orElseThrow();
    }

    /** Polls as a client does, waiting each answer's interval, until the answer is no longer PENDING. */
    private static AuthResult awaitAnswer(OidcAuthProvider provider, String reference) throws InterruptedException {
        Instant deadline = Instant.now().plus(ANSWER_TIMEOUT);
        AuthResult result = ask(provider, new Approval(reference));
        while (result.status() == AuthStatus.PENDING && Instant.now().isBefore(deadline)) {
            Thread.sleep(result.pendingApproval().orElseThrow().interval().toMillis());
            result = ask(provider, new Approval(reference));
        }
        return result;
    }

    // ---------------------------------------------------------------- the login waits for the person

    @Test
    void aStartedLoginIsPendingAndPollingTooFastSlowsItDown() {
        OidcAuthProvider provider = provider();
        Instant before = Instant.now();

        PendingApproval approval = pending(ask(provider, Approval.start()));

        assertTrue(
                approval.verificationUri().toString().startsWith(keycloak.issuer(REALM) + "/device"),
                approval.verificationUri().toString());
        assertFalse(approval.userCode().isBlank());
        assertEquals(Duration.ofSeconds(5), approval.interval(), "Keycloak's default polling interval");
        assertTrue(approval.expiresAt().isAfter(before.plusSeconds(500)), approval.toString());

        // the first poll: Keycloak says authorization_pending
        assertEquals(approval, pending(ask(provider, new Approval(approval.reference()))));
        // at once again, inside Keycloak's interval: slow_down, the interval grows by 5 s
        assertEquals(
                approval.withInterval(Duration.ofSeconds(10)),
                pending(ask(provider, new Approval(approval.reference()))));
    }

    // ---------------------------------------------------------------- the person approves

    @Test
    void aPersonWhoApprovesInTheBrowserIsLoggedInWithTheirGroups() throws Exception {
        DeviceLoginBrowser.assumeInstalled();
        OidcAuthProvider provider = provider();
        PendingApproval approval = pending(ask(provider, Approval.start()));
        assertEquals(
                AuthStatus.PENDING,
                ask(provider, new Approval(approval.reference())).status(),
                "before the person approves");

        try (DeviceLoginBrowser browser = DeviceLoginBrowser.open()) {
            String end = browser.approve(approval.verificationUri(), approval.userCode(), USER, password, true);
            assertFalse(end.contains("error="), end + ": " + browser.pageText());
        }
        AuthResult result = awaitAnswer(provider, approval.reference());

        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        Identity alice = result.identity().orElseThrow();
        assertEquals(USER, alice.user());
        assertEquals(Set.of("vpn-users"), alice.groups());
        assertEquals("alice@example.com", alice.attributes().get("email"));
        assertEquals(keycloak.issuer(REALM), alice.attributes().get("iss"));
        // Keycloak's tokens live 5 minutes by default: the session is bounded by that
        assertTrue(alice.validUntil().isAfter(Instant.now()), alice.toString());
        assertTrue(alice.validUntil().isBefore(Instant.now().plus(Duration.ofMinutes(6))), alice.toString());
    }

    // ---------------------------------------------------------------- the person denies

    @Test
    void aPersonWhoDeniesInTheBrowserIsRefused() throws Exception {
        DeviceLoginBrowser.assumeInstalled();
        OidcAuthProvider provider = provider();
        PendingApproval approval = pending(ask(provider, Approval.start()));
        URI complete = approval.verificationUriComplete();

        try (DeviceLoginBrowser browser = DeviceLoginBrowser.open()) {
            String end = browser.approve(complete, USER, password, false);
            assertTrue(end.contains("error=access_denied"), end + ": " + browser.pageText());
        }

        assertEquals(AuthResult.failure(), awaitAnswer(provider, approval.reference()));
    }
}
