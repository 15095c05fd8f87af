package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.AuthChallenge;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionGrant;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import dev.wirehaven.wireguard.Keys;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A login approved in a browser: pending answers, the polling interval, the reference kept from the client. */
class ApprovalLoginTest {

    private final FlowFixture fx;
    private final TestProviders.Approvals sso = new TestProviders.Approvals();

    ApprovalLoginTest() throws Exception {
        fx = new FlowFixture();
        fx.providers.add(TestProviders.bound(sso, 0));
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private SessionGrant answer(String id) throws FlowException {
        return fx.flow().authenticate(id, new AuthResponse("sso", "", null, null, null), FlowFixture.SOURCE);
    }

    @Test
    void thePersonApprovesInTheBrowserAndTheNextPollAfterTheIntervalLogsIn() throws Exception {
        sso.now = fx.clock.instant();
        AuthChallenge c = fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop");
        assertEquals(
                CredentialKind.APPROVAL,
                c.prompts().stream()
                        .filter(p -> p.method().equals("sso"))
                        .findFirst()
                        .orElseThrow()
                        .kind());
        String id = c.sessionId();

        FlowException pending = refused(FlowFailure.APPROVAL_PENDING, () -> answer(id));
        assertEquals("WDJB-MJHT", pending.approval().userCode());
        assertEquals(5, pending.approval().intervalSeconds());
        assertFalse(pending.getMessage().contains("device-code-1"), "the reference never reaches the client");

        // asked again at once: answered from memory, the provider is not asked faster than its interval
        sso.approve("erin");
        refused(FlowFailure.APPROVAL_PENDING, () -> answer(id));
        assertEquals(1, sso.calls.get());

        fx.clock.advance(Duration.ofSeconds(5));
        SessionGrant grant = answer(id);

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(grant.sessionId()).phase());
        assertEquals("erin", fx.stored(id).user());
        assertEquals("device-code-1", sso.references.get(1), "the server passed the provider's reference back");
    }

    @Test
    void anApprovalOutlivesTheChallengeTimeoutUpToItsOwnExpiry() throws Exception {
        sso.now = fx.clock.instant();
        String id =
                fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop").sessionId();
        refused(FlowFailure.APPROVAL_PENDING, () -> answer(id));

        fx.clock.advance(Duration.ofMinutes(5)); // past the 2-minute challenge timeout
        sso.approve("erin");

        assertEquals(id, answer(id).sessionId());
    }

    @Test
    void theSessionLapsesWhenTheIdentitysProofDoesNotLater() throws Exception {
        sso.now = fx.clock.instant();
        Instant tokenExpiry = fx.clock.instant().plus(Duration.ofMinutes(20));
        sso.validUntil = tokenExpiry;
        sso.approve("erin");
        String id =
                fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop").sessionId();
        refused(FlowFailure.APPROVAL_PENDING, () -> answer(id));
        fx.clock.advance(Duration.ofSeconds(5));

        SessionGrant grant = answer(id);

        assertEquals(tokenExpiry, grant.expiresAt(), "bounded by the token, not the 12-hour lifetime");
    }

    @Test
    void aPendingAnswerIsNotCountedAsAFailedLogin() throws Exception {
        sso.now = fx.clock.instant();
        String id =
                fx.request(Keys.publicFrom(Keys.generatePrivate()), "laptop").sessionId();
        for (int i = 0; i < 8; i++) {
            refused(FlowFailure.APPROVAL_PENDING, () -> answer(id));
            fx.clock.advance(Duration.ofSeconds(5));
        }
        assertNull(fx.sink.securityEvents.stream()
                .filter(e -> e.type().startsWith("auth."))
                .findAny()
                .orElse(null));
    }
}
