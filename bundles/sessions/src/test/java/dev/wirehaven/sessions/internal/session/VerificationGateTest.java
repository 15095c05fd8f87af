package dev.wirehaven.sessions.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wirehaven.sessions.spi.FlowException;
import dev.wirehaven.sessions.spi.FlowFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class VerificationGateTest {

    private final AtomicReference<VerificationLimits> limits = new AtomicReference<>(new VerificationLimits(1, 0));
    private final VerificationGate gate = new VerificationGate(limits::get);

    @Test
    void withoutAQueueASecondCheckIsRefusedBusyAtOnce() throws Exception {
        VerificationGate.Slot first = gate.enter();

        FlowException e = assertThrows(FlowException.class, gate::enter);

        assertEquals(FlowFailure.BUSY, e.failure());
        assertEquals(VerificationGate.RETRY_AFTER, e.retryAfter());
        first.close();
        first.close(); // a second close gives back nothing more
        gate.enter().close();
        assertEquals(0, gate.running());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
    void aQueuedCheckWaitsForItsTurnAndOneBeyondTheQueueIsRefused() throws Exception {
        limits.set(new VerificationLimits(1, 1));
        VerificationGate.Slot first = gate.enter();
        CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> {
            try (VerificationGate.Slot slot = gate.enter()) {
                assertEquals(1, gate.running());
            } catch (FlowException e) {
                throw new CompletionException(e);
            }
        });
        while (gate.waiting() == 0) {
            Thread.onSpinWait();
        }

        assertEquals(
                FlowFailure.BUSY, assertThrows(FlowException.class, gate::enter).failure());

        first.close();
        queued.get();
        assertEquals(0, gate.running());
    }
}
