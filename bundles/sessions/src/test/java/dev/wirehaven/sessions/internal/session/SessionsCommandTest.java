package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.session.SessionPhase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsCommandTest {

    private final FlowFixture fx;
    private final SessionsCommand command;

    SessionsCommandTest() throws Exception {
        fx = new FlowFixture();
        command = new SessionsCommand(fx.runtime.directory(), fx.runtime.admin(), fx.clock);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void listsTheOpenSessionsWithUserDevicePhaseAndAddress() throws Exception {
        assertEquals("No open sessions\n", command.sessions());
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        String table = command.sessions();

        assertTrue(table.startsWith("SESSION"), table);
        String row = table.lines()
                .filter(l -> l.startsWith(c.sessionId()))
                .findFirst()
                .orElseThrow();
        assertTrue(row.matches(".*alice +laptop +CONFIGURED +10\\.8\\.0\\.2 +never +0 +0"), row);
    }

    @Test
    void revokeEndsTheSessionLikeADisconnect() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        assertEquals(
                "Session " + c.sessionId() + " of alice revoked: peer removed, addresses released\n",
                command.revoke(c.sessionId()));

        assertEquals(SessionPhase.DISCONNECTED, fx.stored(c.sessionId()).phase());
        assertTrue(fx.stored(c.sessionId()).closeReason().startsWith("revoked by an operator"));
        assertTrue(fx.peer(c.publicKey()).isEmpty());
        assertEquals("No open session " + c.sessionId() + "\n", command.revoke(c.sessionId()));
        FlowAssertions.refused(
                dev.wirehaven.sessions.spi.FlowFailure.UNAUTHORIZED,
                () -> fx.flow().status(c.sessionId(), c.token()));
    }

    @Test
    void theDirectoryShowsWhoIsConnectedWithoutSecrets() throws Exception {
        FlowFixture.Client c = fx.configured("alice", "correct horse", "laptop");

        var view = fx.runtime.directory().find(c.sessionId()).orElseThrow();

        assertEquals("alice", view.identity().user());
        assertEquals(SessionPhase.CONFIGURED, view.phase());
        assertEquals(c.publicKey().toBase64(), view.clientPublicKey());
        assertEquals("10.8.0.2", view.tunnelAddresses().get(0).getHostAddress());
        assertEquals(1, fx.runtime.directory().sessionsOf("alice").size());
        assertTrue(fx.runtime.directory().sessionsOf("bob").isEmpty());
        assertTrue(!view.toString().contains(c.token()));
    }
}
