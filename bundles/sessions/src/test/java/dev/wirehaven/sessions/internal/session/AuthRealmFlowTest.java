package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.internal.realm.AuthRealm;
import dev.wirehaven.sessions.internal.realm.SecondFactorRule;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Auth realms in the flow: which methods are offered, second factors, fallback, and no silent downgrade. */
class AuthRealmFlowTest {

    private final FlowFixture fx;
    private final TestProviders.Directory directory = new TestProviders.Directory();
    private final TestProviders.EnrolledCodes codes = new TestProviders.EnrolledCodes();

    AuthRealmFlowTest() throws Exception {
        fx = new FlowFixture();
        fx.providers.clear();
        fx.providers.add(TestProviders.bound(directory, 0));
        fx.providers.add(TestProviders.bound(fx.passwords, 0));
        fx.providers.add(TestProviders.bound(codes, 0));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private static AuthRealm corp(SecondFactorRule rule, Set<String> fallbackGroups) {
        return new AuthRealm(
                "corp",
                10,
                "*",
                List.of("ldap"),
                rule == SecondFactorRule.NONE ? List.of() : List.of("totp"),
                rule,
                rule == SecondFactorRule.GROUPS ? Set.of("finance") : Set.of(),
                List.of("password"),
                fallbackGroups);
    }

    private AuthChallenge challenge() throws FlowException {
        return fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
    }

    private SessionGrant ldap(String id, String user, String password) throws FlowException {
        return fx.flow().authenticate(id, new AuthResponse("ldap", user, password, null, null), FlowFixture.SOURCE);
    }

    private SessionGrant code(String id, String code) throws FlowException {
        return fx.flow().authenticate(id, new AuthResponse("totp", "", null, code, null), FlowFixture.SOURCE);
    }

    @Test
    void theChallengeOffersTheRealmsPrimaryMethodsWithPromptsByKindNotByName() throws Exception {
        fx.realms.add(corp(SecondFactorRule.NONE, Set.of()));

        AuthChallenge c = challenge();

        assertEquals(List.of("ldap"), c.methods(), "only the realm's primary; password is its fallback only");
        assertEquals(List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password")), c.prompts());
    }

    @Test
    void aRealmThatRequiresASecondFactorForAGroupAsksItsMembersOnly() throws Exception {
        fx.realms.add(corp(SecondFactorRule.GROUPS, Set.of()));
        codes.enrolledUsers.add("dave");

        String id = challenge().sessionId();
        FlowException more = refused(FlowFailure.ANOTHER_FACTOR_REQUIRED, () -> ldap(id, "dave", "dave's secret"));
        assertEquals(List.of("totp"), more.methods());
        assertEquals(CredentialKind.ONE_TIME_CODE, more.prompts().get(0).kind());
        refused(FlowFailure.UNAUTHORIZED, () -> code(id, "000000"));

        SessionGrant grant = code(id, "654321");

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(grant.sessionId()).phase());
        assertEquals("corp", fx.stored(id).identity().attributes().get(AuthRealm.REALM_ATTRIBUTE));
    }

    @Test
    void withTheSecondFactorsProviderGoneARealmThatRequiresItRefusesRatherThanLetOneFactorThrough() throws Exception {
        fx.realms.add(corp(SecondFactorRule.EVERYONE, Set.of()));
        fx.providers.removeIf(p -> p.name().equals("totp"));

        String id = challenge().sessionId();
        FlowException refused = refused(FlowFailure.UNAVAILABLE, () -> ldap(id, "dave", "dave's secret"));

        assertTrue(refused.getMessage().contains("totp"), refused.getMessage());
        assertEquals(SessionPhase.CHALLENGED, fx.stored(id).phase());
        fx.sink.await(fx.sink.securityEvents, e -> e.type().equals(SecurityEvent.AUTH_FACTOR_UNAVAILABLE));
    }

    @Test
    void enrolledModeAsksOnlyEnrolledUsersAndEveryoneWhileItsProviderIsGone() throws Exception {
        fx.realms.add(corp(SecondFactorRule.ENROLLED, Set.of()));

        String notEnrolled = challenge().sessionId();
        ldap(notEnrolled, "dave", "dave's secret");
        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(notEnrolled).phase());

        codes.enrolledUsers.add("dave");
        String enrolled = challenge().sessionId();
        refused(FlowFailure.ANOTHER_FACTOR_REQUIRED, () -> ldap(enrolled, "dave", "dave's secret"));

        fx.providers.removeIf(p -> p.name().equals("totp"));
        String gone = challenge().sessionId();
        refused(FlowFailure.UNAVAILABLE, () -> ldap(gone, "dave", "dave's secret"));
    }

    @Test
    void whileTheDirectoryIsDownTheFallbackDecidesWithFewerGroupsAndSaysSo() throws Exception {
        fx.realms.add(corp(SecondFactorRule.NONE, Set.of("staff")));
        directory.down.set(true);

        String id = challenge().sessionId();
        // alice is a local user: her password passes the fallback with the same credential
        ldap(id, "alice", "correct horse");

        var identity = fx.stored(id).identity();
        assertEquals("password", identity.attributes().get(AuthRealm.FALLBACK_ATTRIBUTE));
        assertEquals(Set.of("staff"), identity.groups());
        fx.sink.await(
                fx.sink.securityEvents,
                e -> e.type().equals(SecurityEvent.AUTH_FALLBACK) && e.user().equals("alice"));
    }

    @Test
    void aFallbackGroupsListNarrowsTheGroupsOfAFallbackLogin() throws Exception {
        fx.realms.add(corp(SecondFactorRule.NONE, Set.of("fallback-only")));
        directory.down.set(true);

        String id = challenge().sessionId();
        ldap(id, "alice", "correct horse");

        assertTrue(fx.stored(id).identity().groups().isEmpty(), "staff is not among the fallback groups");
    }

    @Test
    void aUserNoRealmServesIsRefusedLikeAWrongPassword() throws Exception {
        fx.realms.add(new AuthRealm(
                "example",
                0,
                "@example.com",
                List.of("ldap"),
                List.of(),
                SecondFactorRule.NONE,
                Set.of(),
                List.of(),
                Set.of()));

        String id = challenge().sessionId();
        FlowException refused = refused(FlowFailure.UNAUTHORIZED, () -> ldap(id, "dave", "dave's secret"));

        assertFalse(refused.getMessage().contains("realm"), refused.getMessage());
        assertEquals(0, directory.calls.get(), "the directory is not asked for a user the realm does not serve");
    }
}
