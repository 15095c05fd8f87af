package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OidcConfigurationTest {

    private static final String ISSUER = "https://sso.example.com/realms/corp";

    private static Map<String, Object> minimal(Object... more) {
        Map<String, Object> values = new HashMap<>(Map.of("issuer", ISSUER, "clientId", "wirehaven-vpn"));
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    private static String refusal(Map<String, Object> values) {
        return assertThrows(IllegalArgumentException.class, () -> TestConfigs.settings(values))
                .getMessage();
    }

    @Test
    void theDefaultsAreThoseOfTheMetatype() {
        OidcConfiguration c = TestConfigs.settings(minimal());

        assertEquals("oidc", c.method());
        assertEquals(0, c.ranking());
        assertEquals(ISSUER, c.issuer().getValue());
        assertEquals("wirehaven-vpn", c.clientId().getValue());
        assertNull(c.clientSecret());
        assertTrue(c.clientAuthentication().isEmpty(), "a public client");
        assertEquals(new Scope("openid", "profile", "email"), c.scopes());
        assertEquals("wirehaven-vpn", c.audience(), "the audience defaults to the client ID");
        assertEquals("preferred_username", c.usernameClaim());
        assertEquals("groups", c.groupsClaim());
        assertEquals(Duration.ofSeconds(60), c.clockSkew());
        assertTrue(c.deviceGrant());
        assertTrue(c.acceptBearerTokens());
        assertEquals(5000, c.httpTimeoutMillis());
        assertNull(c.approvalPrompt());
        assertNull(c.bearerTokenPrompt());
    }

    @Test
    void everyAttributeIsTaken() {
        OidcConfiguration c = TestConfigs.settings(minimal(
                "method", "corp-sso",
                "service_ranking", 20,
                "scopes", "openid groups",
                "audience", "vpn-api",
                "usernameClaim", "email",
                "groupsClaim", "realm_access.roles",
                "clockSkewSeconds", 5,
                "deviceGrant", false,
                "httpTimeoutMillis", 1500,
                "approvalPrompt", "Log in with Corp SSO",
                "bearerTokenPrompt", "Corp SSO token"));

        assertEquals("corp-sso", c.method());
        assertEquals(20, c.ranking());
        assertEquals(new Scope("openid", "groups"), c.scopes());
        assertEquals("vpn-api", c.audience());
        assertEquals("email", c.usernameClaim());
        assertEquals("realm_access.roles", c.groupsClaim());
        assertEquals(Duration.ofSeconds(5), c.clockSkew());
        assertFalse(c.deviceGrant());
        assertEquals(1500, c.httpTimeoutMillis());
        assertEquals("Log in with Corp SSO", c.approvalPrompt());
        assertEquals("Corp SSO token", c.bearerTokenPrompt());
    }

    @Test
    void theClientSecretComesFromItsFileAndNeverPrints(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("corp.secret");
        Files.writeString(file, "s3cr3t-value\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        OidcConfiguration c = TestConfigs.settings(minimal("clientSecretFile", file.toString()));

        assertEquals("s3cr3t-value", c.clientSecret().getValue(), "without the trailing newline");
        assertTrue(c.clientAuthentication().orElseThrow() instanceof ClientSecretBasic);
        assertFalse(c.toString().contains("s3cr3t"), c.toString());
        assertTrue(c.toString().contains("client secret redacted"), c.toString());
    }

    @Test
    void aSecretFileThatCannotBeUsedIsRefusedWithoutItsContent(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        Path big = Files.write(dir.resolve("big"), new byte[8192]);

        assertTrue(refusal(minimal("clientSecretFile", dir.resolve("missing").toString()))
                .contains("cannot be read"));
        assertTrue(refusal(minimal("clientSecretFile", empty.toString())).contains("is empty"));
        assertTrue(refusal(minimal("clientSecretFile", big.toString())).contains("larger than"));
    }

    @Test
    void theIssuerMustBeHttpsExceptOnLoopback() {
        assertEquals(
                "http://127.0.0.1:8080/realms/wh",
                TestConfigs.settings(minimal("issuer", "http://127.0.0.1:8080/realms/wh"))
                        .issuer()
                        .getValue());
        TestConfigs.settings(minimal("issuer", "http://localhost:8080/wh"));
        TestConfigs.settings(minimal("issuer", "http://[::1]:8080/wh"));

        String refused = refusal(minimal("issuer", "http://sso.example.com/realms/corp"));
        assertTrue(refused.contains("must be https"), refused);
        assertTrue(refused.contains("dev.wirehaven.auth.oidc~test"), "names the configuration: " + refused);
        assertTrue(refusal(minimal("issuer", "sso.example.com")).contains("not an absolute URL"));
        assertTrue(refusal(minimal("issuer", "https://sso.example.com/x?a=b")).contains("without query"));
        assertTrue(refusal(minimal("issuer", "https://sso example")).contains("not a URL"));
    }

    @Test
    void missingOrWrongValuesAreRefusedByName() {
        Map<String, Object> noIssuer = minimal();
        noIssuer.remove("issuer");
        Map<String, Object> noClient = minimal();
        noClient.remove("clientId");

        assertTrue(refusal(noIssuer).startsWith("issuer is missing"));
        assertTrue(refusal(noClient).startsWith("clientId is missing"));
        assertTrue(refusal(minimal("method", "Corp SSO")).contains("not a method name"));
        assertTrue(refusal(minimal("scopes", "profile email")).contains("lack openid"));
        assertTrue(refusal(minimal("clockSkewSeconds", -1)).contains("clockSkewSeconds"));
        assertTrue(refusal(minimal("httpTimeoutMillis", 10)).contains("httpTimeoutMillis"));
        assertTrue(refusal(minimal("deviceGrant", false, "acceptBearerTokens", false))
                .contains("would accept nothing"));
    }

    @Test
    void withoutTheDeviceGrantTheScopesMayLackOpenid() {
        OidcConfiguration c = TestConfigs.settings(minimal("deviceGrant", false, "scopes", ""));

        assertEquals(new Scope(), c.scopes());
    }
}
