package dev.wirehaven.wireguard.internal.crypto;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks the transport AEAD implementation for this runtime and hands each thread its own instance.
 *
 * <p>The candidates: {@code jdk} ({@link JdkTransportCipher}, the JDK's Cipher), {@code bc}
 * ({@link BcTransportCipher}, BouncyCastle in place), {@code sodium} ({@link SodiumTransportCipher},
 * libsodium through JNA) and {@code openssl} ({@link OpenSslTransportCipher}, OpenSSL 3's libcrypto
 * through JNA). A native one is used only after its library loaded and it reproduced
 * {@link TransportKnownAnswer}'s answers in this JVM; otherwise the next in the order is taken and
 * {@link #description()} says why.
 *
 * <p>Measured 2026-12-04 with TransportCipherBenchmark, 1420-byte packets in place, one thread,
 * 2-vCPU Xeon (AVX-512 IFMA), load 1-2; OpenJDK 17.0.15, Temurin 25, libsodium 1.0.18, OpenSSL
 * 3.0.22, JNA 5.19.1; medians of 10 one-second iterations, µs per packet, bytes allocated per packet
 * from {@code -prof gc} (the natives' 0.01-0.02 B/op is JMH's own):
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar 'TransportCipherBenchmark\.(seal|open)$' \
 *        -f 1 -wi 3 -i 10 -w 1s -r 1s -tu us -bm avgt -prof gc
 *
 *                 JDK 17 seal / open   B/op         JDK 25 seal / open   B/op
 *   jdk           4.65 / 5.18          1256 / 5880  1.18 / 1.16          2208 / 2248
 *   bc            5.18 / 5.07           104 / 104   4.18 / 4.03            80 / 80
 *   sodium        2.21 / 2.46             0 / 0     2.48 / 2.19             0 / 0
 *   openssl       1.61 / 1.53             0 / 0     1.85 / 1.54             0 / 0
 * </pre>
 * Two earlier runs of the same command under load (3-6) ranked them the same way on each JDK. So
 * before feature release 20: OpenSSL, then libsodium, then BouncyCastle (the JDK Cipher is no faster
 * than BouncyCastle there and leaves 1.2-5.9 KB of garbage per packet).
 *
 * <p>From 20 on the JDK Cipher (ChaCha20 and Poly1305 intrinsics) is 25-35% faster than OpenSSL in
 * the loop above, and yet OpenSSL comes first: in the tunnel the JDK Cipher's ~2.2 KB of garbage per
 * packet costs more than its faster arithmetic saves. {@code benchmarks/tunnel-throughput.sh} on
 * JDK 25, ours sending to wireguard-go (2026-12-05, {@code ROUNDS=3 DUR=8 OMIT=3 CASES="b c"}, same
 * machine): the JDK Cipher 0.37 Gbit/s at 19.1 µs of our CPU per packet, OpenSSL ({@code
 * -Dwirehaven.aead=openssl}) 0.47 Gbit/s at 13.5 µs; {@code PROFILE=1} showed where the JDK Cipher's
 * packets go: 1.0-1.9 µs each in page faults on fresh heap memory and 0.5-1.8 µs in the garbage
 * collector's threads. Without libcrypto the JDK Cipher is next. OpenSSL's own ceiling on this
 * machine is ~0.65 µs per 1420 bytes ({@code openssl speed
 * -evp chacha20-poly1305 -bytes 1420}); the rest of its 1.5 µs is OpenSSL 3's per-packet
 * {@code EVP_CipherInit_ex} and the calls and copies around it. The JDK's intrinsics depend on the
 * CPU's vector extensions (this one has AVX-512): on a CPU without them, measure and force
 * {@code openssl} if it wins there.
 *
 * <p>The system property {@value #PROPERTY} ({@code jdk}, {@code bc}, {@code sodium},
 * {@code openssl}) forces one; a forced native one that cannot be loaded or fails its known answers
 * is an error, not a fallback. {@code wirehaven.sodium.library} and {@code wirehaven.openssl.library}
 * name the library file to load instead of the defaults ({@code libsodium.so.23},
 * {@code libcrypto.so.3}, after the unversioned names).
 */
public final class TransportCiphers {

    /** System property that forces an implementation: {@code jdk}, {@code bc}, {@code sodium} or {@code openssl}. */
    public static final String PROPERTY = "wirehaven.aead";

    /** Fastest first, by the measurements above; the last entry of each needs no native library. */
    static final List<String> ORDER_BEFORE_20 = List.of("openssl", "sodium", "bc");

    /** OpenSSL before the faster JDK Cipher: its garbage costs more in the tunnel (see above). */
    static final List<String> ORDER_FROM_20 = List.of("openssl", "jdk");

    /** What has been probed in this JVM: implementation and library names to the outcome. */
    private static final Map<String, Probe> PROBED = new ConcurrentHashMap<>();

    private static volatile Choice chosen;

    private static final ThreadLocal<TransportCipher> PER_THREAD = ThreadLocal.withInitial(TransportCiphers::create);

    private TransportCiphers() {}

    /** The implementation in use and why, e.g. "openssl (OpenSSL 3.0.22 ...)" or "bc (libsodium absent ...)". */
    public static String description() {
        return choice().description();
    }

    /** This thread's cipher. */
    public static TransportCipher forCurrentThread() {
        return PER_THREAD.get();
    }

    /**
     * A new cipher of the chosen implementation.
     *
     * @throws IllegalStateException if {@value #PROPERTY} names a native implementation that cannot be
     *     loaded or fails its known-answer test
     */
    public static TransportCipher create() {
        return choice().factory().get();
    }

    /**
     * A new cipher of the named implementation ({@code jdk}, {@code bc}, {@code sodium} or
     * {@code openssl}), for tests and benchmarks.
     *
     * @throws IllegalStateException if a native implementation cannot be loaded or fails its known answers
     */
    public static TransportCipher create(String name) {
        String n = canonical(name);
        Probe p = probe(n, defaultLibraries(n));
        if (!p.usable()) {
            throw new IllegalStateException(n + " transport cipher unavailable: " + p.detail());
        }
        return p.factory().get();
    }

    private static Choice choice() {
        Choice c = chosen;
        if (c == null) {
            synchronized (TransportCiphers.class) {
                c = chosen;
                if (c == null) {
                    c = choose(
                            System.getProperty(PROPERTY),
                            Runtime.version().feature(),
                            Map.of(
                                    "sodium", defaultLibraries("sodium"),
                                    "openssl", defaultLibraries("openssl")));
                    chosen = c;
                }
            }
        }
        if (c.failure() != null) {
            throw new IllegalStateException(c.failure());
        }
        return c;
    }

    /** The implementation, its description, and how to make one; or why a forced one cannot be had. */
    record Choice(String name, String description, Supplier<TransportCipher> factory, String failure) {}

    /**
     * The decision, from its inputs: {@code forced} (the property's value or null), the JDK's feature
     * release, and the library names to try per native implementation.
     */
    static Choice choose(String forced, int feature, Map<String, List<String>> libraries) {
        if (forced != null && !forced.isBlank()) {
            String n;
            try {
                n = canonical(forced);
            } catch (IllegalArgumentException e) {
                return new Choice(null, null, null, e.getMessage());
            }
            Probe p = probe(n, libraries.getOrDefault(n, List.of()));
            if (!p.usable()) {
                return new Choice(n, null, null, PROPERTY + "=" + n + " but that cipher is unavailable: " + p.detail());
            }
            return new Choice(n, n + " (" + p.detail() + ", forced by " + PROPERTY + ")", p.factory(), null);
        }
        StringBuilder skipped = new StringBuilder();
        for (String n : feature >= 20 ? ORDER_FROM_20 : ORDER_BEFORE_20) {
            Probe p = probe(n, libraries.getOrDefault(n, List.of()));
            if (p.usable()) {
                String why = skipped.length() == 0 ? p.detail() : p.detail() + "; " + skipped;
                return new Choice(n, n + " (" + why + ")", p.factory(), null);
            }
            if (skipped.length() > 0) {
                skipped.append("; ");
            }
            skipped.append(n).append(": ").append(p.detail());
        }
        throw new IllegalStateException("no transport cipher: " + skipped); // the Java ones are always usable
    }

    private static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "jdk":
            case "bc":
            case "sodium":
            case "openssl":
                return n;
            default:
                throw new IllegalArgumentException(
                        PROPERTY + " must be 'jdk', 'bc', 'sodium' or 'openssl', not '" + name + "'");
        }
    }

    private static List<String> defaultLibraries(String impl) {
        switch (impl) {
            case "sodium":
                return NativeLoading.names(LibSodium.PROPERTY, LibSodium.DEFAULT_NAMES);
            case "openssl":
                return NativeLoading.names(LibCrypto.PROPERTY, LibCrypto.DEFAULT_NAMES);
            default:
                return List.of();
        }
    }

    /** An implementation's outcome in this JVM: usable, with its version, or not, with the reason. */
    record Probe(boolean usable, String detail, Supplier<TransportCipher> factory) {}

    /** Loads and checks a native implementation once per JVM and library names; the Java ones need nothing. */
    static Probe probe(String impl, List<String> libraryNames) {
        switch (impl) {
            case "jdk":
                return new Probe(true, "JDK " + Runtime.version().feature() + " Cipher", JdkTransportCipher::new);
            case "bc":
                return new Probe(true, "BouncyCastle", BcTransportCipher::new);
            default:
                return PROBED.computeIfAbsent(impl + " " + libraryNames, k -> probeNative(impl, libraryNames));
        }
    }

    private static Probe probeNative(String impl, List<String> libraryNames) {
        String version;
        Supplier<TransportCipher> factory;
        try {
            if (impl.equals("sodium")) {
                version = "libsodium " + LibSodium.load(libraryNames);
                factory = SodiumTransportCipher::new;
            } else {
                version = LibCrypto.load(libraryNames);
                factory = OpenSslTransportCipher::new;
            }
        } catch (LinkageError | RuntimeException e) {
            return new Probe(false, e.getMessage(), null);
        }
        String failure = TransportKnownAnswer.check(factory.get());
        if (failure != null) {
            return new Probe(false, version + " failed its known-answer test: " + failure, null);
        }
        return new Probe(true, version, factory);
    }
}
