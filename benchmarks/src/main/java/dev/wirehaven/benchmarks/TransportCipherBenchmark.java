package dev.wirehaven.benchmarks;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The transport AEAD exactly as the device calls it: {@link TransportCipher} sealing and opening in
 * place in a packet buffer. {@code impl}: {@code jdk}, {@code bc}, {@code sodium} (libsodium),
 * {@code openssl} (libcrypto 3), or {@code auto} (what {@link TransportCiphers} picks on this JDK,
 * i.e. the production path). The figures and the command that decided the order are in
 * {@link TransportCiphers}' class comment.
 *
 * <p>Opening in place destroys the ciphertext, so {@link #open} first copies a sealed packet into the
 * work buffer; that copy (~1.4 KB, tens of ns) is included in its figure.
 *
 * <p>{@link #sealSodiumArrays} answers how the native ciphers should reach a heap packet: it hands
 * JNA the Java arrays directly (plaintext, ciphertext and tag as three arrays at offset 0, out of
 * place: the best case for arrays, since JNA cannot start at an offset and gives each array argument
 * its own copy, so in place is impossible), against {@code seal} with {@code impl=sodium}, which
 * copies through a native block. It ignores {@code impl}; run it as
 * {@code TransportCipherBenchmark.seal -p impl=sodium} plus {@code sealSodiumArrays}.
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

    @Param({"auto", "jdk", "bc", "sodium", "openssl"})
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

    /** libsodium with byte[] arguments, direct-mapped: JNI copies each array to native memory and back. */
    static final class SodiumArrays {
        static {
            Native.register(SodiumArrays.class, NativeLibrary.getInstance("libsodium.so.23"));
        }

        static native int sodium_init();

        static native int crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                byte[] c,
                byte[] mac,
                Pointer maclenP,
                byte[] m,
                long mlen,
                Pointer ad,
                long adlen,
                Pointer nsec,
                byte[] npub,
                byte[] k);
    }

    private byte[] arraysPlain;
    private byte[] arraysOut;
    private final byte[] arraysTag = new byte[TAG];
    private final byte[] arraysNonce = new byte[12];
    private final byte[] arraysKey = new byte[32];

    @Setup(Level.Trial)
    public void setupArrays(BenchmarkParams params) {
        if (!params.getBenchmark().endsWith("sealSodiumArrays")) {
            return; // loads libsodium only for the benchmark that uses it
        }
        arraysPlain = new byte[size];
        arraysOut = new byte[size];
        new SplittableRandom(12).nextBytes(arraysPlain);
        new SplittableRandom(13).nextBytes(arraysKey);
        if (SodiumArrays.sodium_init() < 0) {
            throw new IllegalStateException("sodium_init failed");
        }
    }

    @Benchmark
    public int sealSodiumArrays() {
        long c = counter++;
        for (int i = 0; i < 8; i++) {
            arraysNonce[4 + i] = (byte) (c >>> (8 * i));
        }
        return SodiumArrays.crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                arraysOut, arraysTag, null, arraysPlain, size, null, 0, null, arraysNonce, arraysKey);
    }
}
