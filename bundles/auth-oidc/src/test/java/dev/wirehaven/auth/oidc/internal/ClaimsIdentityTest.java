package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wirehaven.api.auth.Identity;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimsIdentityTest {

    private static final Instant EXP = Instant.parse("2026-12-03T12:00:00Z");

    private static JWTClaimsSet.Builder token() {
        return new JWTClaimsSet.Builder()
                .issuer("https://sso.example.com/realms/corp")
                .subject("f81d4fae-7dec")
                .expirationTime(Date.from(EXP));
    }

    private static Identity identity(String usernameClaim, String groupsClaim, JWTClaimsSet claims)
            throws InvalidTokenException {
        return new ClaimsIdentity(usernameClaim, groupsClaim).of(claims);
    }

    @Test
    void theUserGroupsAttributesAndExpiryComeFromTheClaims() throws Exception {
        Identity identity = identity(
                "preferred_username",
                "groups",
                token().claim("preferred_username", "alice")
                        .claim("email", "alice@example.com")
                        .claim("groups", List.of("vpn-users", "ops"))
                        .build());

        assertEquals("alice", identity.user());
        assertEquals(Set.of("vpn-users", "ops"), identity.groups());
        assertEquals(
                Map.of(
                        "sub",
                        "f81d4fae-7dec",
                        "email",
                        "alice@example.com",
                        "iss",
                        "https://sso.example.com/realms/corp"),
                identity.attributes());
        assertEquals(EXP, identity.validUntil());
    }

    @Test
    void withoutTheUsernameClaimTheSubIsTheUser() throws Exception {
        assertEquals(
                "f81d4fae-7dec",
                identity("preferred_username", "groups", token().build()).user());
        assertEquals(
                "f81d4fae-7dec",
                identity(
                                "preferred_username",
                                "groups",
                                token().claim("preferred_username", " ").build())
                        .user(),
                "a blank name counts as none");
        assertEquals(
                "f81d4fae-7dec",
                identity(
                                "preferred_username",
                                "groups",
                                token().claim("preferred_username", 42).build())
                        .user(),
                "a name that is not a string counts as none");
    }

    @Test
    void aDottedGroupsClaimIsAPathIntoObjects() throws Exception {
        JWTClaimsSet claims = token().claim("realm_access", Map.of("roles", List.of("vpn-admins", "offline_access")))
                .build();

        assertEquals(
                Set.of("vpn-admins", "offline_access"),
                identity("preferred_username", "realm_access.roles", claims).groups());
        assertEquals(
                Set.of(),
                identity("preferred_username", "realm_access.missing", claims).groups());
        assertEquals(
                Set.of(),
                identity("preferred_username", "realm_access.roles.deeper", claims)
                        .groups());
    }

    @Test
    void aClaimNamedWithDotsIsTakenAsItIsFirst() throws Exception {
        // Auth0 and others name custom claims with URLs
        JWTClaimsSet claims = token().claim("https://example.com/groups", List.of("vpn-users"))
                .build();

        assertEquals(
                Set.of("vpn-users"),
                identity("sub", "https://example.com/groups", claims).groups());
    }

    @Test
    void aSingleStringIsOneGroupAndOtherValuesAreSkipped() throws Exception {
        assertEquals(
                Set.of("vpn-users"),
                identity("sub", "groups", token().claim("groups", "vpn-users").build())
                        .groups());
        assertEquals(
                Set.of("a", "b"),
                identity(
                                "sub",
                                "groups",
                                token().claim("groups", List.of("a", 7, " ", "b", Map.of()))
                                        .build())
                        .groups());
        assertEquals(
                Set.of(),
                identity(
                                "sub",
                                "groups",
                                token().claim("groups", Map.of("a", "b")).build())
                        .groups());
    }

    @Test
    void theGroupsComeFromTheAccessTokenWhenTheIdTokenLacksThem() throws Exception {
        JWTClaimsSet idToken = token().claim("preferred_username", "alice").build();
        JWTClaimsSet accessToken = token().claim("realm_access", Map.of("roles", List.of("vpn-users")))
                .build();
        ClaimsIdentity identities = new ClaimsIdentity("preferred_username", "realm_access.roles");

        assertEquals(
                Set.of("vpn-users"),
                identities.of(idToken, Optional.of(accessToken)).groups());
        assertEquals(Set.of(), identities.of(idToken, Optional.empty()).groups());

        JWTClaimsSet idTokenWithGroups = token().claim("realm_access", Map.of("roles", List.of("from-id-token")))
                .build();
        assertEquals(
                Set.of("from-id-token"),
                identities.of(idTokenWithGroups, Optional.of(accessToken)).groups(),
                "the ID token's own claim wins");
    }

    @Test
    void aTokenWithoutSubOrExpGivesNoIdentity() {
        ClaimsIdentity identities = new ClaimsIdentity("preferred_username", "groups");

        assertThrows(
                InvalidTokenException.class,
                () -> identities.of(token().subject(null)
                        .claim("preferred_username", "alice")
                        .build()));
        assertThrows(
                InvalidTokenException.class,
                () -> identities.of(token().expirationTime(null).build()));
    }
}
