package dev.wirehaven.auth.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.AuthProvider;
import dev.wirehaven.api.auth.CredentialKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/**
 * What a configuration must say, without a directory: nothing here connects, so a provider is made
 * even for URLs where nothing listens.
 */
class LdapConfigurationTest {

    private static final String URL = "ldap://127.0.0.1:1";

    @TempDir
    Path files;

    private static TestConfiguration valid() {
        return TestConfiguration.urls(URL).with("userSearchBase", "ou=people,dc=example,dc=com");
    }

    private static void assertRefused(TestConfiguration config, String key) {
        LdapConfigurationException e = assertThrows(LdapConfigurationException.class, config::provider);
        assertTrue(e.getMessage().startsWith(LdapAuthProvider.PID + ": " + key + " "), e.getMessage());
    }

    @Test
    void theDefaultsNeedOnlyUrlsAndWhereUsersAre() {
        try (LdapAuthProvider provider = valid().provider()) {
            assertEquals("ldap", provider.method());
            assertEquals(Set.of(CredentialKind.PASSWORD), provider.credentialKinds());
            assertEquals("Directory password", provider.prompt(CredentialKind.PASSWORD));
            assertEquals(CredentialKind.ONE_TIME_CODE.standardPrompt(), provider.prompt(CredentialKind.ONE_TIME_CODE));
            assertFalse(provider.directory().hasServiceAccount(), "anonymous searches");
            assertFalse(provider.directory().encrypted());
        }
    }

    @Test
    void theServiceCarriesTheConfiguredMethodAndAnIntegerRanking() {
        try (LdapAuthProvider provider = valid().with("method", "corp-ldap")
                .with("service_ranking", 10)
                .with("prompt", "Corporate password")
                .provider()) {
            Map<String, Object> properties = provider.serviceProperties();
            assertEquals("corp-ldap", properties.get(AuthProvider.METHOD_PROPERTY));
            assertEquals(Integer.valueOf(10), properties.get(Constants.SERVICE_RANKING));
            assertEquals("LDAP directory " + URL, properties.get(Constants.SERVICE_DESCRIPTION));
            assertEquals("corp-ldap", provider.method());
            assertEquals("Corporate password", provider.prompt(CredentialKind.PASSWORD));
        }
    }

    @Test
    void aMethodIsLowerCaseLettersDigitsAndHyphens() {
        for (String bad : new String[] {"", "LDAP", "corp ldap", "corp_ldap", "ldap.corp"}) {
            assertRefused(valid().with("method", bad), "method");
        }
    }

    @Test
    void urlsAreLdapOrLdapsWithHostAndPortOnly() {
        assertRefused(valid().with("urls", new String[0]), "urls");
        assertRefused(valid().with("urls", "http://ldap.example.com"), "urls");
        assertRefused(valid().with("urls", "ldapi://%2Fvar%2Frun%2Fslapd"), "urls");
        assertRefused(valid().with("urls", "ldap://"), "urls");
        assertRefused(valid().with("urls", "ldap://ldap.example.com/dc=example,dc=com"), "urls");
        assertRefused(valid().with("urls", "not a url"), "urls");
        assertEquals(
                "ldap://a.example.com:389, ldaps://b.example.com:636, ldaps://[::1]:1636",
                valid().with("urls", new String[] {"ldap://a.example.com", "LDAPS://b.example.com", "ldaps://[::1]:1636"
                        })
                        .provider()
                        .directory()
                        .describe());
    }

    @Test
    void startTlsIsForLdapUrlsOnly() {
        assertRefused(valid().with("urls", "ldaps://ldap.example.com").with("startTls", true), "startTls");
        try (LdapAuthProvider provider = valid().with("startTls", true).provider()) {
            assertTrue(provider.directory().encrypted());
        }
    }

    @Test
    void theCaFileMustHoldCertificates() throws Exception {
        assertRefused(valid().with("caFile", files.resolve("missing.pem").toString()), "caFile");
        Path notPem = Files.writeString(files.resolve("not.pem"), "hello");
        assertRefused(valid().with("caFile", notPem.toString()), "caFile");
        Path ca = TestCertificates.Authority.create("Config CA").writeCertificate(files.resolve("ca.pem"));
        valid().with("caFile", ca.toString()).provider().close();
    }

    @Test
    void theServiceAccountNeedsBothItsDnAndItsPasswordFile() throws Exception {
        Path password = Files.writeString(files.resolve("bind.password"), "s3cret\n");
        assertRefused(valid().with("bindDn", "cn=reader,dc=example,dc=com"), "bindPasswordFile");
        assertRefused(valid().with("bindPasswordFile", password.toString()), "bindDn");
        assertRefused(valid().with("bindDn", "not a dn").with("bindPasswordFile", password.toString()), "bindDn");
        try (LdapAuthProvider provider = valid().with("bindDn", "cn=reader,dc=example,dc=com")
                .with("bindPasswordFile", password.toString())
                .provider()) {
            assertTrue(provider.directory().hasServiceAccount());
        }
    }

    @Test
    void thePasswordFileLosesOneLineEndAndMustNotBeEmpty() throws Exception {
        assertArrayEquals(bytes("s3cret"), ServiceAccount.readPassword(write("a", "s3cret\n")));
        assertArrayEquals(bytes("s3cret"), ServiceAccount.readPassword(write("b", "s3cret\r\n")));
        assertArrayEquals(bytes("s3cret "), ServiceAccount.readPassword(write("c", "s3cret ")));
        assertArrayEquals(bytes("two\nlines"), ServiceAccount.readPassword(write("d", "two\nlines\n")));
        for (String empty : new String[] {"", "\n", "\r\n"}) {
            assertThrows(LdapConfigurationException.class, () -> ServiceAccount.readPassword(write("e", empty)));
        }
        LdapConfigurationException missing = assertThrows(
                LdapConfigurationException.class, () -> ServiceAccount.readPassword(files.resolve("missing")));
        assertTrue(missing.getMessage().contains("bindPasswordFile"), missing.getMessage());
    }

    @Test
    void theServiceAccountPasswordAppearsInNoMessage() throws Exception {
        Path password = write("p", "hunter2-secret");
        ServiceAccount account = ServiceAccount.from("cn=reader,dc=example,dc=com", password.toString());
        assertFalse(account.toString().contains("hunter2"), account.toString());
        LdapConfigurationException e = assertThrows(
                LdapConfigurationException.class,
                () -> valid().with("bindDn", "cn=reader,dc=example,dc=com")
                        .with("bindPasswordFile", password.toString())
                        .with("poolSize", 0)
                        .provider());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void usersAreFoundByATemplateOrASearch() {
        assertRefused(TestConfiguration.urls(URL), "userSearchBase");
        assertRefused(valid().with("userSearchBase", "not a dn"), "userSearchBase");
        assertRefused(valid().with("userSearchFilter", "(uid=alice)"), "userSearchFilter");
        assertRefused(valid().with("userSearchFilter", "(uid={0}"), "userSearchFilter");
        assertRefused(valid().with("userSearchFilter", "(member={dn})"), "userSearchFilter");
        assertRefused(valid().with("userSearchFilter", "(|(uid={0})(mail={user}))"), "userSearchFilter");
        assertRefused(valid().with("userNameAttribute", "u id"), "userNameAttribute");
        assertRefused(valid().with("disabledFilter", "employeeType=disabled)"), "disabledFilter");
        for (String bad : new String[] {"{0}@example.com", "uid={0}", "uid=x{0},dc=example", "{0},dc=example"}) {
            assertRefused(TestConfiguration.urls(URL).with("userDnTemplate", bad), "userDnTemplate");
        }
        try (LdapAuthProvider provider = TestConfiguration.urls(URL)
                .with("userDnTemplate", "uid={0},ou=people,dc=example,dc=com")
                .provider()) {
            assertTrue(provider.toString().contains("uid={0},ou=people,dc=example,dc=com"), provider.toString());
        }
    }

    @Test
    void groupsComeFromMemberOfASearchOrNowhere() {
        assertRefused(valid().with("groupsFrom", "magic"), "groupsFrom");
        assertRefused(valid().with("groupsFrom", "search"), "groupSearchBase");
        assertRefused(
                valid().with("groupsFrom", "search")
                        .with("groupSearchBase", "ou=groups,dc=example,dc=com")
                        .with("groupSearchFilter", "(member={DN})"),
                "groupSearchFilter");
        assertRefused(valid().with("groupSearchBase", "not a dn"), "groupSearchBase");
        assertRefused(valid().with("groupNameAttribute", " "), "groupNameAttribute");
        for (String source : new String[] {"memberOf", "MEMBEROF", "search", "none"}) {
            valid().with("groupsFrom", source)
                    .with("groupSearchBase", "ou=groups,dc=example,dc=com")
                    .provider()
                    .close();
        }
    }

    @Test
    void timeoutsAndThePoolAreBounded() {
        assertRefused(valid().with("connectTimeoutMillis", 0), "connectTimeoutMillis");
        assertRefused(valid().with("responseTimeoutMillis", -1), "responseTimeoutMillis");
        assertRefused(valid().with("responseTimeoutMillis", 300_001), "responseTimeoutMillis");
        assertRefused(valid().with("poolSize", 0), "poolSize");
        assertRefused(valid().with("poolSize", 101), "poolSize");
    }

    @Test
    void thePromptIsOneLine() {
        assertRefused(valid().with("prompt", " "), "prompt");
        assertRefused(valid().with("prompt", "two\nlines"), "prompt");
        assertRefused(valid().with("prompt", "x".repeat(201)), "prompt");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(files.resolve(name), content);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
