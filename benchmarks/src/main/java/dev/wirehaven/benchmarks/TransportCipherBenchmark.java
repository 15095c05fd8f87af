package dev.wirehaven.benchmarks;

import dev.wirehaven.wireguard.internal.crypto.TransportCipher;
import dev.wirehaven.wireguard.internal.crypto.TransportCiphers;
import dev.wirehaven.wireguard.internal.crypto.TransportKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transport AEAD exactly as the device calls it: {@link TransportCipher} sealing and opening in
 * place in a packet buffer. {@code impl}: {@code jdk}, {@code bc}, or {@code auto} (what
 * {@link TransportCiphers} picks on this JDK, i.e. the production path).
 *
 * <p>Opening in place destroys the ciphertext, so {@link #open} first copies a sealed packet into the
 * work buffer; that copy (~1.4 KB, tens of ns) is included in its figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportCipherBenchmark {

    private static final int HEADER = 16;
    private static final int TAG = 16;
    private static final int RING = 64;

    @Param({"auto", "jdk", "bc"})
    public String impl;

    @Param({"1420"})
    public int size;

    private TransportCipher cipher;
    private TransportKey key;
    private byte[] buf;
    private byte[][] sealed;
    private long counter;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        cipher = impl.equals("auto") ? TransportCiphers.create() : TransportCiphers.create(impl);
        SplittableRandom r = new SplittableRandom(11);
        byte[] k = new byte[32];
        r.nextBytes(k);
        key = new TransportKey(k);
        // the plaintext sits after the 16-byte transport header, as in a real message buffer
        buf = new byte[HEADER + size + TAG];
        sealed = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] p = new byte[HEADER + size + TAG];
            r.nextBytes(p);
            cipher.seal(key, i, p, HEADER, size);
            sealed[i] = p;
        }
        r.nextBytes(buf);
    }

    @Benchmark
    public int seal() {
        return cipher.seal(key, counter++, buf, HEADER, size);
    }

    @Benchmark
    public int open() {
        int i = next++ & (RING - 1);
        System.arraycopy(sealed[i], 0, buf, 0, buf.length);
        int n = cipher.open(key, i, buf, HEADER, size + TAG);
        if (n != size) {
            throw new IllegalStateException("a sealed packet did not open: " + cipher.name());
        }
        return n;
    }
}
