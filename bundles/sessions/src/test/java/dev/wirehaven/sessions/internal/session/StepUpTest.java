package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.CredentialKind;
import dev.wirehaven.api.control.AuthResponse;
import dev.wirehaven.api.control.SessionStatus;
import dev.wirehaven.api.control.StatusReport;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A policy asks a live session for one more factor: the client answers it, the tunnel stays. */
class StepUpTest {

    private final FlowFixture fx;

    StepUpTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aStepUpAppearsInTheStatusAndIsAnsweredWithoutTouchingTheTunnelOrToken() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        var phaseBefore = fx.stored(c.sessionId()).phase();
        var peerBefore = fx.peer(c.publicKey());
        assertTrue(peerBefore.isPresent());

        assertTrue(fx.runtime.admin().requestStepUp(c.sessionId(), List.of("totp"), "access to finance"));
        SessionStatus asked = fx.flow().report(c.sessionId(), c.token(), new StatusReport(0, 0, -1, -1));
        assertEquals("totp", asked.stepUp().get(0).method());
        assertEquals(CredentialKind.ONE_TIME_CODE, asked.stepUp().get(0).kind());

        refused(
                FlowFailure.UNAUTHORIZED,
                () -> fx.flow()
                        .stepUp(
                                c.sessionId(),
                                c.token(),
                                new AuthResponse("totp", "", null, "000000", null),
                                FlowFixture.SOURCE));
        assertEquals(phaseBefore, fx.stored(c.sessionId()).phase(), "a wrong step-up code ends nothing");
        assertTrue(fx.peer(c.publicKey()).isPresent());

        SessionStatus done = fx.flow()
                .stepUp(
                        c.sessionId(),
                        c.token(),
                        new AuthResponse("totp", "", null, "123456", null),
                        FlowFixture.SOURCE);

        assertTrue(done.stepUp().isEmpty());
        assertTrue(fx.stored(c.sessionId())
                .identity()
                .attributes()
                .get(Logins.STEP_UP_ATTRIBUTE)
                .startsWith("totp "));
        assertEquals(phaseBefore, fx.stored(c.sessionId()).phase());
        fx.flow().status(c.sessionId(), c.token()); // the same token still works
    }

    @Test
    void withoutAStepUpAskedTheCallIsOutOfOrder() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        refused(
                FlowFailure.OUT_OF_ORDER,
                () -> fx.flow()
                        .stepUp(
                                c.sessionId(),
                                c.token(),
                                new AuthResponse("totp", "", null, "123456", null),
                                FlowFixture.SOURCE));
    }
}
