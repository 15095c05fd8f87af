package dev.wirehaven.benchmarks;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one transport packet with ChaCha20-Poly1305, the way the data plane does per
 * packet: a fresh nonce (4 zero bytes and the little-endian counter, whitepaper §5.4.6) on a reused
 * cipher object, plaintext of {@code size} bytes (1420 = a full packet at the default MTU).
 *
 * <p>Compares the JDK's {@code Cipher} (intrinsified on newer JDKs) with BouncyCastle's lightweight
 * engine; read together with {@code -prof gc} for the bytes allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AeadBenchmark {

    private static final int TAG = 16;
    private static final int RING = 64;

    @Param({"1420"})
    public int size;

    private SecretKeySpec jdkKey;
    private KeyParameter bcKey;
    private Cipher jdk;
    private ChaCha20Poly1305 bc;
    private byte[] plaintext;
    private byte[] out;
    private byte[][] sealed;
    private byte[] nonce;
    private long counter;
    private int next;

    @Setup
    public void setup() throws GeneralSecurityException {
        SplittableRandom r = new SplittableRandom(42);
        byte[] key = new byte[32];
        r.nextBytes(key);
        jdkKey = new SecretKeySpec(key, "ChaCha20");
        bcKey = new KeyParameter(key);
        jdk = Cipher.getInstance("ChaCha20-Poly1305");
        bc = new ChaCha20Poly1305();
        plaintext = new byte[size];
        r.nextBytes(plaintext);
        out = new byte[size + TAG];
        nonce = new byte[12];
        // a ring of packets sealed under counters 0..63, opened round-robin (a cipher may re-use a nonce to decrypt)
        sealed = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(nonce(i)));
            sealed[i] = jdk.doFinal(plaintext);
        }
    }

    private static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    private void putCounter(long c) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (c >>> (8 * i));
        }
    }

    @Benchmark
    public byte[] sealJdkCipher() throws GeneralSecurityException {
        // the JDK refuses to encrypt twice with one key and nonce, so each call needs its own IvParameterSpec
        jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(nonce(counter++)));
        jdk.doFinal(plaintext, 0, size, out, 0);
        return out;
    }

    @Benchmark
    public byte[] openJdkCipher() throws GeneralSecurityException {
        int i = next++ & (RING - 1);
        jdk.init(Cipher.DECRYPT_MODE, jdkKey, new IvParameterSpec(nonce(i)));
        jdk.doFinal(sealed[i], 0, size + TAG, out, 0);
        return out;
    }

    @Benchmark
    public byte[] sealBouncyCastle() throws InvalidCipherTextException {
        putCounter(counter++);
        bc.init(true, new ParametersWithIV(bcKey, nonce));
        int n = bc.processBytes(plaintext, 0, size, out, 0);
        bc.doFinal(out, n);
        return out;
    }

    @Benchmark
    public byte[] openBouncyCastle() throws InvalidCipherTextException {
        int i = next++ & (RING - 1);
        putCounter(i);
        bc.init(false, new ParametersWithIV(bcKey, nonce));
        int n = bc.processBytes(sealed[i], 0, size + TAG, out, 0);
        bc.doFinal(out, n);
        return out;
    }
}
