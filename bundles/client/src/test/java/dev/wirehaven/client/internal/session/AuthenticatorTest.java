package dev.wirehaven.client.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.ConnectionRequest;
import dev.wirehaven.api.control.MethodPrompt;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlClient;
import dev.wirehaven.client.internal.trust.KnownServers;
import dev.wirehaven.client.internal.trust.PinningTrustManager;
import dev.wirehaven.client.internal.trust.ServerAddress;
import dev.wirehaven.client.testing.FakeControlServer;
import dev.wirehaven.client.testing.ManualClock;
import dev.wirehaven.wireguard.Keys;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication by the server's prompts (protocol 1.1) against the canned HTTPS server, on a clock
 * that moves only when the client waits: what is asked follows each method's kind, further factors
 * come with their own prompts, an approval is waited for at the server's interval.
 */
class AuthenticatorTest {

    @TempDir
    Path dir;

    private FakeControlServer server;
    private ControlClient control;
    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    /** What the client asked the person, one entry per question or approval shown. */
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = new FakeControlServer(null);
        server.clock = clock;
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(
                null,
                new TrustManager[] {
                    new PinningTrustManager(
                            ServerAddress.of(server.uri()),
                            null,
                            new KnownServers(dir.resolve("known_servers")),
                            m -> {})
                },
                new SecureRandom());
        control = new ControlClient(server.uri(), ssl, Duration.ofSeconds(5), Duration.ofSeconds(10), "test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A 2.1 prompter that answers every kind, by the prompt it is given. */
    private final CredentialPrompter person = new CredentialPrompter() {
        @Override
        public char[] password(URI s, String user) {
            throw new AssertionError("a prompter of 2.1 is asked through secret()");
        }

        @Override
        public String oneTimeCode(URI s, String user, String method) {
            throw new AssertionError("a prompter of 2.1 is asked through secret()");
        }

        @Override
        public boolean answers(CredentialKind kind) {
            return true;
        }

        @Override
        public char[] secret(URI s, String user, MethodPrompt prompt) {
            asked.add(prompt.kind() + " " + prompt.method() + ": " + prompt.prompt());
            return switch (prompt.kind()) {
                case PASSWORD -> "secret".toCharArray();
                case ONE_TIME_CODE -> " 777000 ".toCharArray();
                default -> "tok".toCharArray();
            };
        }

        @Override
        public void showApproval(URI s, String user, String method, ApprovalPrompt approval) {
            asked.add("approve " + method + " at " + approval.verificationUri() + " with " + approval.userCode());
        }
    };

    private Authenticator authenticator(CredentialPrompter prompter) {
        return new Authenticator(control, prompter, "alice", null, clock, clock.pause());
    }

    private AuthChallenge challenge() throws Exception {
        return control.requestSession(
                new ConnectionRequest(Keys.publicFrom(Keys.generatePrivate()).toBase64(), null, ""));
    }

    @Test
    void aMethodNamedLdapOfKindPasswordIsAnsweredWithThePassword() throws Exception {
        server.auth.methods = List.of("ldap");
        server.auth.prompts = List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password"));

        SessionGrant grant = authenticator(person).authenticate(challenge());

        assertEquals(List.of("PASSWORD ldap: Directory password"), asked);
        AuthResponse sent = server.auth.responses.get(0);
        assertEquals("ldap", sent.method());
        assertEquals("alice", sent.username());
        assertEquals("secret", sent.password());
        assertNull(sent.token(), "no token prompt for a method the server calls a password");
        assertEquals(grant.sessionId(), server.liveSession().id);
    }

    @Test
    void aPrompterOfTheFirstSdkAnswersAPasswordMethodByItsKindToo() throws Exception {
        server.auth.methods = List.of("ldap");
        server.auth.prompts = List.of(new MethodPrompt("ldap", CredentialKind.PASSWORD, "Directory password"));
        CredentialPrompter old = new CredentialPrompter() {
            @Override
            public char[] password(URI s, String user) {
                asked.add("password " + user);
                return "secret".toCharArray();
            }

            @Override
            public String oneTimeCode(URI s, String user, String method) {
                throw new AssertionError();
            }
        };
        authenticator(old).authenticate(challenge());
        assertEquals(List.of("password alice"), asked);
    }

    @Test
    void fromAServerWithoutPromptsAnUnknownMethodIsStillAskedAsAToken() throws Exception {
        server.auth.methods = List.of("ldap");
        server.auth.token = "tok";
        authenticator(person).authenticate(challenge());
        assertEquals(List.of("BEARER_TOKEN ldap: Access token"), asked, "the behaviour with a 1.0 server");
        assertEquals("tok", server.auth.responses.get(0).token());
    }

    @Test
    void anotherFactorIsAskedWithItsOwnPrompt() throws Exception {
        server.auth.methods = List.of("password");
        server.auth.oneTimeCode = "777000";
        server.auth.secondFactor = List.of("push", "sms");
        server.auth.secondFactorPrompts = List.of(
                new MethodPrompt("push", CredentialKind.APPROVAL, "Approve on your phone"),
                new MethodPrompt("sms", CredentialKind.ONE_TIME_CODE, "Code sent to +41 ** *** 12"));
        CredentialPrompter noApprovals = new CredentialPrompter() {
            @Override
            public char[] password(URI s, String user) {
                throw new AssertionError();
            }

            @Override
            public String oneTimeCode(URI s, String user, String method) {
                throw new AssertionError();
            }

            @Override
            public char[] secret(URI s, String user, MethodPrompt prompt) throws java.io.IOException {
                return person.secret(s, user, prompt);
            }
        };

        authenticator(noApprovals).authenticate(challenge());

        assertEquals(
                List.of("PASSWORD password: Password", "ONE_TIME_CODE sms: Code sent to +41 ** *** 12"),
                asked,
                "the push approval is skipped: this prompter does not say it shows approvals");
        assertEquals("777000", server.auth.responses.get(1).oneTimeCode(), "stripped");
        assertNull(server.auth.responses.get(1).password(), "the password is not sent again with the code");
    }

    @Test
    void anApprovalPendingTwiceIsAskedAgainAtItsIntervalAndShownOnce() throws Exception {
        Instant t0 = clock.instant();
        server.auth.methods = List.of("oidc");
        server.auth.prompts = List.of(new MethodPrompt("oidc", CredentialKind.APPROVAL, ""));
        server.auth.approval = new ApprovalPrompt(
                URI.create("https://idp.example.com/device"), null, "WDJB-MJHT", 5, t0.plusSeconds(300));
        server.auth.approvalsPending.set(2);

        authenticator(person).authenticate(challenge());

        assertEquals(List.of("approve oidc at https://idp.example.com/device with WDJB-MJHT"), asked);
        assertEquals(List.of(t0, t0.plusSeconds(5), t0.plusSeconds(10)), server.auth.approvalAnswers);
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), clock.pauses());
        AuthResponse sent = server.auth.responses.get(2);
        assertEquals(new AuthResponse("oidc", "alice", null, null, null).toString(), sent.toString());
        assertNull(sent.password());
        assertNull(sent.oneTimeCode());
        assertNull(sent.token());
    }

    @Test
    void anApprovalThatLapsesFailsSayingSo() throws Exception {
        Instant t0 = clock.instant();
        server.auth.methods = List.of("oidc");
        server.auth.prompts = List.of(new MethodPrompt("oidc", CredentialKind.APPROVAL, ""));
        server.auth.approval = new ApprovalPrompt(
                URI.create("https://idp.example.com/device"), null, "WDJB-MJHT", 5, t0.plusSeconds(30));
        server.auth.approvalsPending.set(1000);

        AuthChallenge c = challenge();
        ClientException e =
                assertThrows(ClientException.class, () -> authenticator(person).authenticate(c));

        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertTrue(e.getMessage().contains("was not approved in time"), e.getMessage());
        assertEquals(7, server.auth.approvalAnswers.size(), "at 0, 5, ... 30 s (the expiry); 35 s would be past it");
    }

    @Test
    void reauthenticationAnswersTheFirstMethodAgainWithANewApproval() throws Exception {
        server.auth.methods = List.of("oidc");
        server.auth.prompts = List.of(new MethodPrompt("oidc", CredentialKind.APPROVAL, ""));
        server.auth.approval = new ApprovalPrompt(
                URI.create("https://idp.example.com/device"),
                null,
                "WDJB-MJHT",
                5,
                clock.instant().plusSeconds(300));
        server.auth.approvalsPending.set(1);
        Authenticator a = authenticator(person);
        Session session = new Session(a.authenticate(challenge()));

        server.auth.approvalsPending.set(1);
        session.renew(a.reauthenticate(session));

        assertEquals(2, asked.size(), asked.toString());
        assertEquals(1, server.reauthentications.get());
        assertEquals(
                "oidc",
                server.auth.responses.get(server.auth.responses.size() - 1).method());
    }
}
