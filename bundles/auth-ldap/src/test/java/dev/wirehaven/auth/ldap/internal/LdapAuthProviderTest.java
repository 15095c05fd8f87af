package dev.wirehaven.auth.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult;
import dev.wirehaven.api.auth.AuthRequest;
import dev.wirehaven.api.auth.AuthResult;
import dev.wirehaven.api.auth.AuthStatus;
import dev.wirehaven.api.auth.BearerToken;
import dev.wirehaven.api.auth.Identity;
import dev.wirehaven.api.auth.PasswordCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider against a real OpenLDAP ({@link Slapd}, data in {@code directory.ldif}): who gets in,
 * with which groups, and that everyone else gets the same generic failure.
 */
class LdapAuthProviderTest {

    private static final String ALICE_DN = "uid=alice," + Slapd.PEOPLE;

    @TempDir
    static Path files;

    private static Slapd slapd;
    private static Path readerPassword;

    @BeforeAll
    static void startDirectory() throws Exception {
        slapd = Slapd.start();
        // as an operator writes it: echo reader-secret > file
        readerPassword = Files.writeString(files.resolve("reader.password"), Slapd.READER_PASSWORD + "\n");
    }

    @AfterAll
    static void stopDirectory() {
        if (slapd != null) {
            slapd.close();
        }
    }

    /** Users are searched below ou=people by the service account; groups from memberOf. */
    private static TestConfiguration searchingAsReader() {
        return TestConfiguration.urls(slapd.ldapUrl())
                .with("bindDn", Slapd.READER_DN)
                .with("bindPasswordFile", readerPassword.toString())
                .with("userSearchBase", Slapd.PEOPLE)
                .with("disabledFilter", "(employeeType=disabled)")
                .with("connectTimeoutMillis", 2000)
                .with("responseTimeoutMillis", 2000);
    }

    private static TestConfiguration byTemplate() {
        return TestConfiguration.urls(slapd.ldapUrl())
                .with("userDnTemplate", "uid={0}," + Slapd.PEOPLE)
                .with("disabledFilter", "(employeeType=disabled)");
    }

    static AuthResult login(LdapAuthProvider provider, String user, String password) {
        try (PasswordCredential credential = new PasswordCredential(user, password.toCharArray())) {
            return provider.authenticate(AuthRequest.firstFactor(credential, null));
        }
    }

    private static Identity identityOf(AuthResult result) {
        assertEquals(AuthStatus.SUCCESS, result.status(), result::toString);
        return result.identity().orElseThrow();
    }

    @Test
    void aValidUserSucceedsWithGroupsFromMemberOf() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            Identity alice = identityOf(login(provider, "alice", "alice-password"));
            assertEquals("alice", alice.user());
            assertEquals(Set.of("admins", "vpn-users", "wiki-editors"), alice.groups());
            assertEquals(
                    Map.of("dn", ALICE_DN, "mail", "alice@wirehaven.test", "displayName", "Alice Liddell"),
                    alice.attributes());
        }
        try (LdapAuthProvider provider =
                searchingAsReader().with("groupSearchBase", Slapd.GROUPS).provider()) {
            assertEquals(
                    Set.of("admins", "vpn-users"),
                    identityOf(login(provider, "alice", "alice-password")).groups(),
                    "a group search base keeps only the groups below it");
        }
    }

    @Test
    void aValidUserSucceedsWithGroupsFromAGroupSearch() {
        try (LdapAuthProvider provider = searchingAsReader()
                .with("groupsFrom", "search")
                .with("groupSearchBase", Slapd.GROUPS)
                .provider()) {
            assertEquals(
                    Set.of("admins", "vpn-users"),
                    identityOf(login(provider, "alice", "alice-password")).groups());
            Identity bob = identityOf(login(provider, "bob", "bob-password"));
            assertEquals(Set.of("vpn-users"), bob.groups());
            assertEquals(Map.of("dn", "uid=bob," + Slapd.PEOPLE), bob.attributes(), "no mail: none is made up");
        }
    }

    @Test
    void aUserWithoutGroupsSucceedsWithNone() {
        try (LdapAuthProvider provider =
                searchingAsReader().with("groupsFrom", "none").provider()) {
            assertEquals(
                    Set.of(),
                    identityOf(login(provider, "alice", "alice-password")).groups());
        }
    }

    @Test
    void aWrongPasswordFailsGenerically() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            AuthResult result = login(provider, "alice", "not-her-password");
            assertEquals(AuthStatus.FAILURE, result.status());
            assertEquals(AuthResult.GENERIC_FAILURE, result.reason());
        }
    }

    @Test
    void anUnknownUserFailsWithTheSameAnswer() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            assertEquals(login(provider, "alice", "not-her-password"), login(provider, "nobody", "alice-password"));
            assertEquals(AuthResult.failure(), login(provider, "nobody", "alice-password"));
        }
    }

    @Test
    void aDisabledAccountFails() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            assertEquals(AuthResult.failure(), login(provider, "mallory", "mallory-password"));
        }
        try (LdapAuthProvider provider =
                searchingAsReader().with("disabledFilter", "").provider()) {
            assertEquals(
                    "mallory",
                    identityOf(login(provider, "mallory", "mallory-password")).user(),
                    "her password is right: only the disabled filter keeps her out");
        }
    }

    @Test
    void anEmptyPasswordIsRefused() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            // a DN with an empty password is an unauthenticated bind, which LDAP lets succeed
            assertEquals(AuthResult.failure(), login(provider, "alice", ""));
        }
        try (LdapAuthProvider template = byTemplate().provider()) {
            assertEquals(AuthResult.failure(), login(template, "alice", ""));
        }
    }

    @Test
    void ldapInjectionInTheUserNameFindsNobody() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            // each would match alice (or everyone) if it became filter syntax; "ali*" would match only her
            for (String name : List.of("*", ")(uid=*", "ali*", "*)(uid=alice", "alice)(|(uid=*", "alice\\", "\\2a")) {
                assertEquals(AuthResult.failure(), login(provider, name, "alice-password"), name);
            }
            assertTrue(login(provider, "alice", "alice-password").isSuccess(), "the same provider lets alice in");
        }
    }

    @Test
    void aNameThatMatchesSeveralEntriesFails() {
        try (LdapAuthProvider provider =
                searchingAsReader().with("userSearchFilter", "(cn={0})").provider()) {
            assertEquals(AuthResult.failure(), login(provider, "Sam Smith", "sam-password"));
            assertEquals(
                    "alice",
                    identityOf(login(provider, "Alice Liddell", "alice-password"))
                            .user(),
                    "a name that matches one entry gets the entry's uid");
        }
    }

    @Test
    void anAnonymousSearchFindsUsersWhereTheDirectoryLetsAnonymousUsersSearch() {
        try (LdapAuthProvider anonymous = TestConfiguration.urls(slapd.ldapUrl())
                .with("userSearchBase", "ou=contractors," + Slapd.SUFFIX)
                .with("groupsFrom", "none")
                .provider()) {
            assertFalse(anonymous.directory().hasServiceAccount());
            assertEquals(
                    "carol",
                    identityOf(login(anonymous, "carol", "carol-password")).user());
            assertEquals(AuthResult.failure(), login(anonymous, "carol", "wrong"));
        }
    }

    @Test
    void aServiceAccountSearchesWhereAnonymousSearchIsRefused() {
        try (LdapAuthProvider anonymous = searchingAsReader()
                .without("bindDn")
                .without("bindPasswordFile")
                .provider()) {
            // the directory refuses the search itself: the operator must learn it, the user is not to blame
            AuthResult result = login(anonymous, "alice", "alice-password");
            assertEquals(AuthStatus.UNAVAILABLE, result.status(), result::toString);
            assertTrue(result.reason().contains("insufficient access rights"), result.reason());
        }
        try (LdapAuthProvider reader = searchingAsReader().provider()) {
            assertTrue(login(reader, "alice", "alice-password").isSuccess());
        }
    }

    @Test
    void aWrongServiceAccountPasswordIsUnavailableNotAFailure() throws Exception {
        Path wrong = Files.writeString(files.resolve("wrong.password"), "not-the-reader-secret");
        try (LdapAuthProvider provider =
                searchingAsReader().with("bindPasswordFile", wrong.toString()).provider()) {
            AuthResult result = login(provider, "alice", "alice-password");
            assertEquals(AuthStatus.UNAVAILABLE, result.status(), result::toString);
            assertTrue(result.reason().contains("invalid credentials"), result.reason());
            assertTrue(result.reason().contains(slapd.ldapUrl()), result.reason());
            assertFalse(result.reason().contains("not-the-reader-secret"), result.reason());
            assertFalse(result.reason().contains("alice-password"), result.reason());
        }
    }

    @Test
    void theDnTemplateModeWorksWithoutAServiceAccount() {
        // the user's own connection reads the entry and the groups: what the directory lets every user do
        try (LdapAuthProvider provider = byTemplate()
                .with("groupsFrom", "search")
                .with("groupSearchBase", Slapd.GROUPS)
                .provider()) {
            Identity alice = identityOf(login(provider, "alice", "alice-password"));
            assertEquals("alice", alice.user());
            assertEquals(Set.of("admins", "vpn-users"), alice.groups());
            assertEquals(ALICE_DN, alice.attributes().get("dn"));
            assertEquals(AuthResult.failure(), login(provider, "alice", "not-her-password"));
            assertEquals(AuthResult.failure(), login(provider, "nobody", "alice-password"));
            assertEquals(AuthResult.failure(), login(provider, "mallory", "mallory-password"));
        }
        try (LdapAuthProvider provider = byTemplate().provider()) {
            assertEquals(
                    Set.of("admins", "vpn-users", "wiki-editors"),
                    identityOf(login(provider, "alice", "alice-password")).groups(),
                    "memberOf of the user's own entry");
        }
    }

    @Test
    void theDnTemplateModeReadsAsTheServiceAccountWhenThereIsOne() {
        try (LdapAuthProvider provider = byTemplate()
                .with("bindDn", Slapd.READER_DN)
                .with("bindPasswordFile", readerPassword.toString())
                .provider()) {
            assertEquals(
                    Set.of("admins", "vpn-users", "wiki-editors"),
                    identityOf(login(provider, "alice", "alice-password")).groups());
            assertEquals(AuthResult.failure(), login(provider, "mallory", "mallory-password"));
        }
    }

    @Test
    void theDnTemplateEscapesTheTypedName() {
        try (LdapAuthProvider provider = byTemplate().provider()) {
            assertEquals(
                    "smith, john",
                    identityOf(login(provider, "smith, john", "john-password")).user(),
                    "a comma is part of the value, not the DN's syntax");
            for (String name : List.of("alice,ou=people," + Slapd.SUFFIX, "*", "alice+cn=x", "=alice")) {
                assertEquals(AuthResult.failure(), login(provider, name, "alice-password"), name);
            }
        }
    }

    @Test
    void theUserNameIsTheDirectorysSpelling() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            assertEquals(
                    "alice",
                    identityOf(login(provider, "ALICE", "alice-password")).user());
        }
        try (LdapAuthProvider provider = byTemplate().provider()) {
            assertEquals(
                    "alice",
                    identityOf(login(provider, "Alice", "alice-password")).user());
        }
    }

    @Test
    void aUserBindLeavesTheSearchIdentityAlone() throws Exception {
        try (LdapAuthProvider provider = searchingAsReader().with("poolSize", 1).provider()) {
            assertTrue(login(provider, "alice", "alice-password").isSuccess());
            assertTrue(login(provider, "bob", "bob-password").isSuccess());
            assertEquals(AuthResult.failure(), login(provider, "alice", "wrong"));
            LDAPConnectionPool pool = (LDAPConnectionPool) provider.directory().searches();
            WhoAmIExtendedResult whoAmI =
                    (WhoAmIExtendedResult) pool.processExtendedOperation(new WhoAmIExtendedRequest());
            assertEquals("dn:" + Slapd.READER_DN, whoAmI.getAuthorizationID());
        }
    }

    @Test
    void asAFurtherFactorThePasswordMustBeTheEstablishedUsers() {
        try (LdapAuthProvider provider = searchingAsReader().provider();
                PasswordCredential alices = new PasswordCredential("alice", "alice-password".toCharArray())) {
            AuthRequest afterBob = new AuthRequest(alices, null, Identity.of("bob"), List.of("oidc"));
            assertEquals(AuthResult.failure(), provider.authenticate(afterBob));
            AuthRequest afterAlice = new AuthRequest(alices, null, Identity.of("alice"), List.of("oidc"));
            assertEquals("alice", identityOf(provider.authenticate(afterAlice)).user());
        }
    }

    @Test
    void otherCredentialKindsFail() {
        try (LdapAuthProvider provider = searchingAsReader().provider()) {
            assertEquals(
                    AuthResult.failure(),
                    provider.authenticate(AuthRequest.firstFactor(new BearerToken("alice-password"), null)));
        }
    }
}
