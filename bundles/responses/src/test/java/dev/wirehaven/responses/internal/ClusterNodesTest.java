package dev.wirehaven.responses.internal;

import static dev.wirehaven.responses.internal.Fixture.block;
import static dev.wirehaven.responses.internal.Fixture.ip;
import static dev.wirehaven.responses.internal.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponse.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one store: each has its own ledger, and what one records holds on the other
 * after the other's next tick (the expiry task's once-a-second step).
 */
class ClusterNodesTest {

    private final Fixture f = new Fixture();
    private final ResponseLedger nodeA = f.ledger();
    private final ResponseLedger nodeB = f.ledger();

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aBlockOrADisableMadeOnOneNodeHoldsOnTheOtherAfterItsTick() {
        SecurityResponse blocked = nodeA.apply(block("192.0.2.0/24", Duration.ofHours(1)));
        nodeA.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(1)));
        assertFalse(nodeB.isBlocked(ip("192.0.2.9")), "not before its tick");
        f.devicePushes.clear();
        f.events.clear();

        nodeB.tick();

        assertTrue(nodeB.isBlocked(ip("192.0.2.9")));
        assertTrue(nodeB.isDisabled("alice"), "a login on the other node is refused too");
        assertEquals(
                List.of(blocked.id()),
                nodeB.active().stream()
                        .filter(r -> r.action() == ResponseAction.BLOCK_SOURCE)
                        .map(SecurityResponse::id)
                        .toList());
        assertEquals(List.of(List.of(IpPrefix.parse("192.0.2.0/24"))), f.devicePushes, "its devices get the block");
        assertTrue(f.events.all().isEmpty(), "the node that made them reported them, once: " + f.events.all());
    }

    @Test
    void anUndoOrAnExtensionOnOneNodeReachesTheOther() {
        SecurityResponse blocked = nodeA.apply(block("192.0.2.7", Duration.ofHours(1)));
        SecurityResponse disabled = nodeA.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(1)));
        nodeB.tick();

        nodeA.apply(block("192.0.2.7", Duration.ofHours(3)));
        nodeA.undo(disabled.id(), "an operator (test)");
        f.devicePushes.clear();
        nodeB.tick();

        assertFalse(nodeB.isDisabled("alice"));
        f.clock.advance(Duration.ofHours(2));
        assertTrue(nodeB.isBlocked(ip("192.0.2.7")), "extended to 3 h on the other node");
        assertEquals(
                State.UNDONE,
                nodeB.recent(10).stream()
                        .filter(r -> r.id().equals(disabled.id()))
                        .findFirst()
                        .orElseThrow()
                        .state());
        assertEquals(blocked.id(), nodeB.active().get(0).id());
    }

    @Test
    void anUndoThroughANodeWhoseTickHasNotComeYetFindsTheResponseInTheStore() {
        SecurityResponse disabled = nodeA.apply(request(ResponseAction.DISABLE_USER, "alice", Duration.ofHours(1)));

        assertTrue(nodeB.undo(disabled.id(), "an operator (test)").isPresent());

        nodeA.tick();
        assertFalse(nodeA.isDisabled("alice"));
    }

    @Test
    void theNodeThatMadeAResponseDoesNotTakeItForAnotherNodesOnItsTick() throws Exception {
        f.clock.advance(Duration.ofNanos(123_456_789)); // an end the store keeps only to the microsecond
        nodeA.apply(block("192.0.2.7", Duration.ofHours(1)));
        f.devicePushes.clear();

        nodeA.tick();

        assertEquals(List.of(), f.devicePushes, "nothing new for its devices");
    }

    @Test
    void aResponseTheStoreNeverGotStaysInForceOnItsNode() throws Exception {
        f.db.close(); // the store is away while node A blocks
        SecurityResponse blocked = nodeA.apply(block("192.0.2.7", Duration.ofHours(1)));

        nodeA.tick();

        assertTrue(nodeA.isBlocked(ip("192.0.2.7")));
        assertEquals(List.of(blocked), nodeA.active());
    }
}
