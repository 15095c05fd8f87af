package dev.wirehaven.wireguard.internal.allowedips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.wireguard.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Readers look up addresses while a writer keeps adding, moving and removing prefixes around them. A
 * reader must only ever see an answer that some published version of the table gives.
 */
class AllowedIpsConcurrencyTest {

    @Test
    void lookupsDuringChangesSeeOnlyConsistentAnswers() throws Exception {
        AllowedIps<String> table = new AllowedIps<>();
        // stable: never touched by the writer
        table.insert(Cidr.parse("10.0.0.0/8"), "stable");
        table.insert(Cidr.parse("10.200.0.0/16"), "stable-inner");
        table.insert(Cidr.parse("fd00::/16"), "stable6");

        int writes = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(2);

        byte[] stableAddress = AllowedIpsTest.addr("10.200.7.7");
        byte[] stable6Address = AllowedIpsTest.addr("fd00:ffff::1");
        byte[] churnAddress = AllowedIpsTest.addr("10.1.2.3");
        byte[] churn6Address = AllowedIpsTest.addr("fd00:1:2::3");

        Runnable reader = () -> {
            try {
                boolean first = true;
                do {
                    check(failures, "stable-inner", table.lookup(stableAddress, 0, false), "10.200.7.7");
                    check(failures, "stable6", table.lookup(stable6Address, 0, true), "fd00:ffff::1");
                    // churned addresses fall back to the covering stable prefix when their own is absent
                    checkChurn(failures, "stable", table.lookup(churnAddress, 0, false), "10.1.2.3");
                    checkChurn(failures, "stable6", table.lookup(churn6Address, 0, true), "fd00:1:2::3");
                    lookups.incrementAndGet();
                    if (first) {
                        started.countDown();
                        first = false;
                    }
                } while (!done.get());
            } catch (Throwable t) {
                failures.add("reader died: " + t);
                started.countDown();
            }
        };
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(reader, "reader-" + i);
            readers.add(t);
            t.start();
        }
        started.await();
        for (int i = 0; i < writes; i++) {
            String peer = "churn-" + (i % 7);
            Cidr v4 = Cidr.parse("10.1." + (i % 4) + ".0/" + (16 + i % 9));
            Cidr v6 = Cidr.parse("fd00:1:" + Integer.toHexString(i % 5) + "::/" + (32 + i % 17));
            table.insert(v4, peer);
            table.insert(v6, peer);
            if (i % 3 == 0) {
                table.remove(v4, peer);
            }
            if (i % 5 == 0) {
                table.removeAll("churn-" + ((i + 3) % 7));
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertTrue(lookups.get() >= 2, "both readers looked up at least once");
        assertEquals(List.of(), new ArrayList<>(failures));
        // and the final state is still exact for the stable prefixes
        assertEquals("stable", table.lookup(AllowedIpsTest.addr("10.99.0.1"), 0, false));
        assertEquals("stable-inner", table.lookup(stableAddress, 0, false));
    }

    private static void checkChurn(
            ConcurrentLinkedQueue<String> failures, String fallback, String actual, String what) {
        boolean ok = fallback.equals(actual) || (actual != null && actual.startsWith("churn-"));
        if (!ok && failures.size() < 20) {
            failures.add(what + " -> " + actual);
        }
    }

    private static void check(ConcurrentLinkedQueue<String> failures, String expected, String actual, String what) {
        if (!expected.equals(actual) && failures.size() < 20) {
            failures.add(what + " -> " + actual + " (expected " + expected + ")");
        }
    }
}
