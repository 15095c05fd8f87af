package dev.wirehaven.benchmarks;

import dev.wirehaven.wireguard.internal.replay.ReplayFilter;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replay window check per received packet: counters in order (the common case), and counters
 * arriving up to 200 late, as after reordering by parallel decryption or the network.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayFilterBenchmark {

    private static final int JITTER = 1 << 16;

    private ReplayFilter inOrder;
    private ReplayFilter reordered;
    private long counter;
    private long reorderedBase;
    private int[] lateness;
    private int next;

    @Setup
    public void setup() {
        inOrder = new ReplayFilter();
        reordered = new ReplayFilter();
        SplittableRandom r = new SplittableRandom(3);
        lateness = new int[JITTER];
        for (int i = 0; i < JITTER; i++) {
            lateness[i] = r.nextInt(4) == 0 ? r.nextInt(200) : 0;
        }
    }

    @Benchmark
    public boolean acceptInOrder() {
        return inOrder.accept(counter++);
    }

    @Benchmark
    public boolean acceptReordered() {
        // the newest counter advances by one per call; a quarter of calls present an older one
        long c = reorderedBase++ - lateness[next++ & (JITTER - 1)];
        return reordered.accept(c);
    }
}
