package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a reader's burst travels to the crypto workers: held back while the reader holds, then as one
 * chain, processed in order, each queue kicked once after the last of a run of its packets. The
 * workers' threads are not started: {@link CryptoWorkers#helpOrYield()} processes what is in the ring
 * on the test's thread, so every step is deterministic.
 */
class CryptoWorkersChainTest {

    private final List<Element> processed = new ArrayList<>();
    private final List<Boolean> kicks = new ArrayList<>();
    private final CryptoWorkers workers = new CryptoWorkers("chain-test", 1, 16, (e, cipher, kick) -> {
        processed.add(e);
        kicks.add(kick);
        e.state = Element.DONE;
    });

    private static Element element(boolean outbound) {
        Element e = new Element(64);
        e.outbound = outbound;
        return e;
    }

    @Test
    void heldSubmissionsWaitForTheFlushThenGoAsOneChainInOrderWithOneKick() {
        workers.hold();
        Element a = element(true);
        Element b = element(true);
        Element c = element(true);
        workers.submit(a);
        workers.submit(b);
        workers.submit(c);
        assertTrue(processed.isEmpty(), "nothing goes while the reader holds");

        workers.helpOrYield(); // flushes the held chain into the ring, then takes it from there

        assertEquals(List.of(a, b, c), processed);
        assertEquals(List.of(false, false, true), kicks, "the queue is kicked after the run's last packet only");
        assertNull(a.chained, "the chain's links are cleared as it is processed");
        assertNull(b.chained);
    }

    @Test
    void eachRunOfOneQueueInAChainEndsWithAKick() {
        workers.hold();
        List<Element> burst = List.of(element(true), element(true), element(false), element(false), element(true));
        burst.forEach(workers::submit);
        workers.flushHeld();
        workers.helpOrYield();

        assertEquals(burst, processed);
        assertEquals(List.of(false, true, false, true, true), kicks);
    }

    @Test
    void aChainGoesOnItsOwnOnceItHoldsADrainBatch() {
        workers.hold();
        for (int i = 0; i < CryptoWorkers.MAX_CHAIN + 1; i++) {
            workers.submit(element(true));
        }
        workers.helpOrYield(); // this flushes the one held after the full chain; the full one is taken first

        assertEquals(CryptoWorkers.MAX_CHAIN, processed.size(), "the full chain left without a flush");
        assertTrue(kicks.get(CryptoWorkers.MAX_CHAIN - 1));
        workers.helpOrYield();
        assertEquals(CryptoWorkers.MAX_CHAIN + 1, processed.size());
    }

    @Test
    void aThreadThatDoesNotHoldSubmitsEachPacketOnItsOwn() {
        Element a = element(true);
        Element b = element(true);
        workers.submit(a);
        workers.submit(b);
        workers.helpOrYield();
        workers.helpOrYield();

        assertEquals(List.of(a, b), processed);
        assertEquals(List.of(true, true), kicks);
    }

    @Test
    void holdingIsPerThreadSoOtherThreadsSubmitAtOnce() throws Exception {
        workers.hold();
        Element mine = element(true);
        workers.submit(mine);
        Element theirs = element(true);
        Thread other = new Thread(() -> workers.submit(theirs));
        other.start();
        other.join();

        workers.helpOrYield(); // flushes mine behind theirs, which was in the ring already

        assertEquals(List.of(theirs), processed);
        workers.helpOrYield();
        assertEquals(List.of(theirs, mine), processed);
    }

    @Test
    void aClosedPoolProcessesAFlushedChainOnTheCallingThread() {
        workers.close();
        workers.hold();
        Element a = element(false);
        Element b = element(false);
        workers.submit(a);
        workers.submit(b);
        workers.flushHeld();

        assertEquals(List.of(a, b), processed);
        assertEquals(List.of(false, true), kicks);
    }
}
