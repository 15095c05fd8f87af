package dev.wirehaven.store.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreRegistrationTest {

    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger unregistered = new AtomicInteger();

    private Runnable register() {
        registered.incrementAndGet();
        return unregistered::incrementAndGet;
    }

    @Test
    void aDatabaseThatAnsweredAtActivationIsOfferedAtOnce() {
        try (StoreRegistration r = StoreRegistration.start(this::register, true, () -> false, "db")) {
            assertTrue(r.registered());
            assertEquals(1, registered.get());
        }
        assertEquals(1, unregistered.get());
    }

    @Test
    void aDatabaseThatWasDownIsOfferedOnceItAnswers() throws Exception {
        AtomicBoolean up = new AtomicBoolean();
        CountDownLatch asked = new CountDownLatch(1);
        try (StoreRegistration r = StoreRegistration.start(
                this::register,
                false,
                () -> {
                    asked.countDown();
                    return up.get();
                },
                "db")) {
            assertTrue(asked.await(30, TimeUnit.SECONDS));
            assertFalse(r.registered(), "not while the database does not answer");

            up.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!r.registered() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(r.registered());
            assertEquals(1, registered.get());
        }
        assertEquals(1, unregistered.get());
    }

    @Test
    void closingWhileWaitingRegistersNothing() {
        StoreRegistration r = StoreRegistration.start(this::register, false, () -> false, "db");
        r.close();
        assertFalse(r.registered());
        assertEquals(0, registered.get());
    }
}
