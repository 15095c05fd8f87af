package dev.wirehaven.sessions.internal.session;

import static dev.wirehaven.sessions.internal.session.FlowAssertions.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A user whom a security response disabled cannot log in, whatever the credential: the answer is the
 * one of a wrong credential (it must not confirm a guessed password), the operator's event says why,
 * and the user logs in again as soon as the response ends.
 */
class DisabledUserTest {

    private final FlowFixture fx;

    DisabledUserTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aDisabledUserIsRefusedWithTheAnswerOfAWrongCredential() throws Exception {
        fx.disabledUsers.add("alice");
        String right = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        String wrong = fx.requestFrom(FlowFixture.SOURCE).sessionId();

        FlowException withRight =
                refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(right, "alice", "correct horse"));
        FlowException withWrong = refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(wrong, "alice", "wrong"));

        assertEquals(withWrong.getMessage(), withRight.getMessage(), "the answer does not tell a right password apart");
        assertEquals(SessionPhase.CHALLENGED, fx.stored(right).phase());
        SecurityEvent event = fx.sink.await(
                fx.sink.securityEvents,
                e -> e.type().equals(SecurityEvent.AUTH_FAILURE) && e.detail().contains("disabled"));
        assertEquals("alice", event.user());
        assertTrue(event.detail().contains("security response"), event.detail());
    }

    @Test
    void aDisabledUsersRightCredentialDoesNotCountTowardsALockout() throws Exception {
        fx.disabledUsers.add("alice");
        for (int i = 0; i < 10; i++) {
            String id = fx.requestFrom(FlowFixture.SOURCE).sessionId();
            refused(FlowFailure.UNAUTHORIZED, () -> fx.authenticate(id, "alice", "correct horse"));
        }

        fx.disabledUsers.remove("alice"); // undone: in at once, not locked out by the refusals
        String id = fx.requestFrom(FlowFixture.SOURCE).sessionId();
        fx.authenticate(id, "alice", "correct horse");

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(id).phase());
    }

    @Test
    void otherUsersAreNotAffected() throws Exception {
        fx.disabledUsers.add("alice");
        String id = fx.requestFrom(FlowFixture.SOURCE).sessionId();

        fx.authenticate(id, "bob", "battery staple");

        assertEquals(SessionPhase.AUTHENTICATED, fx.stored(id).phase());
    }
}
