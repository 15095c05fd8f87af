package dev.wirehaven.wireguard.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexTableTest {

    @Test
    void everyIndexCarriesTheTableTagAndIsUnique() {
        IndexTable table = new IndexTable(new SplittableRandom(7), 0x5c);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            int index = table.allocateForHandshake(null);
            assertEquals(0x5c, index & 0xff, Integer.toHexString(index));
            assertEquals(true, seen.add(index), "handed out twice: " + Integer.toHexString(index));
        }
        assertEquals(20_000, table.size());
        for (int index : seen) {
            assertSame(null, table.lookup(index).peer());
        }
    }

    @Test
    void indexZeroIsNeverHandedOutEvenWithTagZero() {
        // a generator whose first draws would make index 0 with tag 0
        int[] draws = {0x00000017, 0x000000ff, 0x12345600};
        int[] next = {0};
        IndexTable table = new IndexTable(
                new java.util.random.RandomGenerator() {
                    @Override
                    public long nextLong() {
                        return 0;
                    }

                    @Override
                    public int nextInt() {
                        return draws[next[0]++];
                    }
                },
                0);
        int index = table.allocateForHandshake(null);
        assertNotEquals(0, index);
        assertEquals(0x12345600, index);
    }

    @Test
    void removedIndicesAreGone() {
        IndexTable table = new IndexTable(new SplittableRandom(1), 0xff);
        int index = table.allocateForHandshake(null);
        table.remove(index);
        assertNull(table.lookup(index));
        assertEquals(0, table.size());
    }

    @Test
    void aTagIsOneByte() {
        assertThrows(IllegalArgumentException.class, () -> new IndexTable(new SplittableRandom(1), 256));
        assertThrows(IllegalArgumentException.class, () -> new IndexTable(new SplittableRandom(1), -1));
    }
}
