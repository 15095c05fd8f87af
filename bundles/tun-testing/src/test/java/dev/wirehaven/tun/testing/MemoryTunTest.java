package dev.wirehaven.tun.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryTunTest {

    private static byte[] packet(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed + i);
        }
        return p;
    }

    @Test
    void deviceReadsInjectedPacketsInOrder() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420)) {
            tun.inject(packet(60, 1));
            tun.inject(packet(1420, 2));
            byte[] buf = new byte[1420];
            assertEquals(60, tun.read(buf, 0, buf.length));
            assertArrayEquals(packet(60, 1), Arrays.copyOf(buf, 60));
            assertEquals(1420, tun.read(buf, 0, buf.length));
            assertArrayEquals(packet(1420, 2), buf);
        }
    }

    @Test
    void injectedPacketIsACopySoTheCallerMayReuseItsBuffer() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420)) {
            byte[] p = packet(40, 7);
            tun.inject(p);
            Arrays.fill(p, (byte) 0);
            byte[] buf = new byte[1420];
            tun.read(buf, 0, buf.length);
            assertArrayEquals(packet(40, 7), Arrays.copyOf(buf, 40));
        }
    }

    @Test
    void applicationTakesWhatTheDeviceWrote() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420)) {
            byte[] frame = new byte[100];
            System.arraycopy(packet(50, 3), 0, frame, 10, 50);
            tun.write(frame, 10, 50);
            byte[] buf = new byte[1500];
            assertEquals(50, tun.take(buf, 0, buf.length));
            assertArrayEquals(packet(50, 3), Arrays.copyOf(buf, 50));
            tun.write(packet(30, 4), 0, 30);
            assertArrayEquals(packet(30, 4), tun.poll(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void pollReturnsNullWhenNothingWasWritten() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420)) {
            assertNull(tun.poll(0, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void deviceWriteDropsAndCountsWhenTheApplicationSideIsFull() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420, 2)) {
            for (int i = 0; i < 5; i++) {
                tun.write(packet(20, i), 0, 20);
            }
            assertEquals(2, tun.pendingWritten());
            assertEquals(3, tun.writeDrops());
            assertArrayEquals(packet(20, 0), tun.poll(0, TimeUnit.SECONDS));
            assertArrayEquals(packet(20, 1), tun.poll(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void tryInjectRefusesWhenFull() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420, 1)) {
            assertTrue(tun.tryInject(packet(20, 0), 0, 20));
            assertFalse(tun.tryInject(packet(20, 1), 0, 20));
            assertEquals(1, tun.pendingInjected());
        }
    }

    @Test
    void packetLongerThanTheReadBufferIsDroppedWithAnExplanation() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1420)) {
            tun.inject(packet(200, 0));
            tun.inject(packet(20, 1));
            IOException e = assertThrows(IOException.class, () -> tun.read(new byte[100], 0, 100));
            assertTrue(e.getMessage().contains("200 bytes"), e.getMessage());
            assertEquals(1, tun.readDrops());
            byte[] buf = new byte[100];
            assertEquals(20, tun.read(buf, 0, buf.length));
        }
    }

    @Test
    void packetsLongerThanTheMtuStillPassLikeOnTheKernelTun() throws Exception {
        try (MemoryTun tun = new MemoryTun("mem0", 1280)) {
            tun.inject(packet(9000, 5));
            byte[] buf = new byte[65535];
            assertEquals(9000, tun.read(buf, 0, buf.length));
            assertArrayEquals(packet(9000, 5), Arrays.copyOf(buf, 9000));
        }
    }

    @Test
    void closeUnblocksABlockedReader() throws Exception {
        MemoryTun tun = new MemoryTun("mem0", 1420);
        Thread[] reader = new Thread[1];
        CompletableFuture<Integer> result = new CompletableFuture<>();
        reader[0] = new Thread(() -> {
            try {
                result.complete(tun.read(new byte[1420], 0, 1420));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        reader[0].start();
        awaitBlocked(reader[0]);
        tun.close();
        assertEquals(-1, result.get(30, TimeUnit.SECONDS));
    }

    @Test
    void closeUnblocksABlockedTaker() throws Exception {
        MemoryTun tun = new MemoryTun("mem0", 1420);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                result.complete(tun.take(new byte[1420], 0, 1420));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        taker.start();
        awaitBlocked(taker);
        tun.close();
        assertEquals(-1, result.get(30, TimeUnit.SECONDS));
    }

    @Test
    void closeUnblocksAnInjectorWaitingForSpace() throws Exception {
        MemoryTun tun = new MemoryTun("mem0", 1420, 1);
        tun.inject(packet(20, 0));
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread injector = new Thread(() -> {
            try {
                tun.inject(packet(20, 1));
                result.complete(null);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        injector.start();
        awaitBlocked(injector);
        tun.close();
        Exception e = assertThrows(Exception.class, () -> result.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    }

    @Test
    void writeAfterCloseFailsAndCloseIsIdempotent() throws Exception {
        MemoryTun tun = new MemoryTun("mem0", 1420);
        tun.close();
        tun.close();
        assertTrue(tun.isClosed());
        assertThrows(IOException.class, () -> tun.write(new byte[20], 0, 20));
        assertThrows(IOException.class, () -> tun.inject(new byte[20]));
        assertEquals(-1, tun.read(new byte[20], 0, 20));
    }

    @Test
    void rejectsAnImpossibleMtu() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryTun("mem0", 20));
    }

    /** Waits (without a deadline of its own: the future's get bounds the test) until the thread parks. */
    static void awaitBlocked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (!t.isAlive()) {
                return;
            }
            Thread.sleep(1);
        }
    }
}
