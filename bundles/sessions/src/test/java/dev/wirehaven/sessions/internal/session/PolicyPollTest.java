package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.PolicyAck;
import dev.wirehaven.api.control.PolicyUpdate;
import dev.wirehaven.api.session.SessionPhase;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyPollTest {

    private final FlowFixture fx;

    PolicyPollTest() throws Exception {
        fx = new FlowFixture();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void theFirstPollIsAnsweredAtOnceWithVersionOne() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        Optional<PolicyUpdate> update = fx.flow()
                .policyAfter(c.sessionId(), c.token(), 0, Duration.ofSeconds(60))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertEquals(1, update.orElseThrow().version());
        assertEquals(List.of("10.8.0.0/24"), update.get().routes());
        assertEquals(25, update.get().persistentKeepalive());
        assertEquals(fx.stored(c.sessionId()).expiresAt(), update.get().reauthenticateBy());
    }

    @Test
    void aParkedPollCompletesWhenTheConfigurationChangesWhatClientsApply() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        CompletableFuture<Optional<PolicyUpdate>> poll = fx.flow()
                .policyAfter(c.sessionId(), c.token(), 1, Duration.ofSeconds(60))
                .toCompletableFuture();
        assertFalse(poll.isDone(), "nothing newer than version 1 yet");

        fx.reconfigure(Map.of("dns", "10.8.0.1, corp.example", "routes", "10.8.0.0/24, 192.168.10.0/24"));

        PolicyUpdate update = poll.get(10, TimeUnit.SECONDS).orElseThrow();
        assertEquals(2, update.version());
        assertEquals(List.of("10.8.0.1", "corp.example"), update.dns());
        assertEquals(List.of("10.8.0.0/24", "192.168.10.0/24"), update.routes());
        assertEquals(2, fx.flow().status(c.sessionId(), c.token()).policyVersion());
    }

    @Test
    void aChangeOfOnlyTimeoutsIsNoNewPolicy() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        CompletableFuture<Optional<PolicyUpdate>> poll = fx.flow()
                .policyAfter(c.sessionId(), c.token(), 1, Duration.ofMillis(1))
                .toCompletableFuture();

        fx.reconfigure(Map.of("idle.timeout", "30m"));

        assertEquals(Optional.empty(), poll.get(10, TimeUnit.SECONDS), "the poll runs out without an update");
        assertEquals(1, fx.flow().status(c.sessionId(), c.token()).policyVersion());
    }

    @Test
    void aParkedPollEndsEmptyWhenTheSessionEnds() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");
        CompletableFuture<Optional<PolicyUpdate>> poll = fx.flow()
                .policyAfter(c.sessionId(), c.token(), 1, Duration.ofSeconds(60))
                .toCompletableFuture();

        fx.flow().disconnect(c.sessionId(), c.token());

        assertEquals(Optional.empty(), poll.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anAcknowledgementIsRecordedAndAVersionNeverSentIsRefused() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        fx.flow().acknowledgePolicy(c.sessionId(), c.token(), new PolicyAck(1, true, ""));
        fx.flow().acknowledgePolicy(c.sessionId(), c.token(), new PolicyAck(1, false, "route\u0007 refused"));

        assertEquals(1, fx.stored(c.sessionId()).policyAckedVersion());
        assertTrue(fx.eventKinds(c.sessionId()).size() >= 2);
        fx.sink.await(
                fx.sink.sessionEvents,
                e -> e.detail().equals("policy version 1 applied") && e.phase() == SessionPhase.CONFIGURED);
        fx.sink.await(fx.sink.sessionEvents, e -> e.detail().equals("policy version 1 not applied: route? refused"));
        FlowAssertions.refused(FlowFailure.INVALID_REQUEST, () -> {
            fx.flow().acknowledgePolicy(c.sessionId(), c.token(), new PolicyAck(7, true, ""));
            return null;
        });
    }
}
