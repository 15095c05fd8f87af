package dev.wirehaven.responses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.response.SecurityResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponsesCommandTest {

    private final Fixture f = new Fixture();
    private final ResponseLedger ledger = f.ledger();
    private final ResponsesCommand command = new ResponsesCommand(ledger, f.clock);

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void blockPutsTheSourceInForceForTheDuration() {
        String answer = command.block("192.0.2.7", "15m", "scanning us");

        SecurityResponse r = ledger.active().get(0);
        assertEquals(Fixture.T0.plus(Duration.ofMinutes(15)), r.expires());
        assertEquals("scanning us", r.reason());
        assertEquals("an operator (wirehaven:block)", r.requestedBy());
        assertTrue(answer.contains(r.id()) && answer.contains("192.0.2.7/32"), answer);
        assertTrue(ledger.isBlocked(Fixture.ip("192.0.2.7")));
    }

    @Test
    void disableShutsTheUserOut() {
        f.sessions.open("s1", "mallory");

        String answer = command.disable("mallory", "1d");

        assertTrue(ledger.isDisabled("mallory"));
        assertTrue(answer.contains("1 session revoked"), answer);
    }

    @Test
    void wrongArgumentsAreAnsweredNotThrown() {
        assertTrue(command.block("gateway.example", "1h").startsWith("Not done:"));
        assertTrue(command.block("192.0.2.7", "soon").contains("15m"));
        assertTrue(command.block("127.0.0.1", "1h").startsWith("Refused:"));
        assertTrue(ledger.active().isEmpty());
    }

    @Test
    void undoEndsAResponseInForce() {
        command.block("192.0.2.7", "2h");
        String id = ledger.active().get(0).id();

        assertTrue(command.undo(id).contains("undone"));
        assertFalse(ledger.isBlocked(Fixture.ip("192.0.2.7")));
        assertTrue(command.undo(id).startsWith("No response in force"));
    }

    @Test
    void responsesListsThoseInForceAndTheLatest() {
        assertTrue(command.responses().contains("No response in force"));
        command.block("192.0.2.7", "2h", "scanning us");
        command.block("127.0.0.1", "2h");

        String table = command.responses();

        assertTrue(table.contains("In force:"), table);
        assertTrue(table.contains("192.0.2.7/32") && table.contains("2h") && table.contains("scanning us"), table);
        assertTrue(table.contains("REFUSED"), table);
        assertTrue(table.contains("Latest 2:"), table);
    }
}
