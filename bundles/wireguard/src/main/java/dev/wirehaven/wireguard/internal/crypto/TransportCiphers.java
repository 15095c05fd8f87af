package dev.wirehaven.wireguard.internal.crypto;

/**
 * Picks the transport AEAD implementation for this runtime and hands each thread its own instance.
 *
 * <p>Measured (DATAPLANE-COSTS.md, 2-vCPU Xeon with AVX-512 IFMA, 1420-byte packets, one thread):
 * <ul>
 * <li>JDK 17: JDK Cipher seal 4.55 µs / open 4.69 µs, ~1.3-2.4 KB garbage per packet; BouncyCastle
 * ({@link BcTransportCipher}, in place) seal 4.64 µs / open 4.66 µs, 104 B per packet
 * (TransportCipherBenchmark, impl=bc). Same speed, far less garbage: BouncyCastle.</li>
 * <li>JDK 25: JDK Cipher seal and open 1.30 µs (ChaCha20 and Poly1305 intrinsics, JDK 20+);
 * BouncyCastle 4.5-4.75 µs. 3.5x faster: the JDK Cipher, despite its ~2.2 KB of garbage.</li>
 * </ul>
 * So: the JDK cipher from feature release 20 on, BouncyCastle before. The system property
 * {@value #PROPERTY} ({@code jdk} or {@code bc}) overrides the choice, e.g. on CPUs where the
 * intrinsics do not apply.
 */
public final class TransportCiphers {

    /** System property that forces an implementation: {@code jdk} or {@code bc}. */
    public static final String PROPERTY = "wirehaven.aead";

    private static final boolean USE_JDK =
            chooseJdk(System.getProperty(PROPERTY), Runtime.version().feature());

    private static final ThreadLocal<TransportCipher> PER_THREAD = ThreadLocal.withInitial(TransportCiphers::create);

    private TransportCiphers() {}

    /** This thread's cipher. */
    public static TransportCipher forCurrentThread() {
        return PER_THREAD.get();
    }

    /** A new cipher of the chosen implementation. */
    public static TransportCipher create() {
        return USE_JDK ? new JdkTransportCipher() : new BcTransportCipher();
    }

    /** A new cipher of the named implementation ("jdk" or "bc"), for tests and benchmarks. */
    public static TransportCipher create(String name) {
        return chooseJdk(name, 0) ? new JdkTransportCipher() : new BcTransportCipher();
    }

    static boolean chooseJdk(String override, int feature) {
        if (override != null && !override.isBlank()) {
            String o = override.trim();
            if (o.equalsIgnoreCase("jdk")) {
                return true;
            }
            if (o.equalsIgnoreCase("bc")) {
                return false;
            }
            throw new IllegalArgumentException(PROPERTY + " must be 'jdk' or 'bc', not '" + override + "'");
        }
        return feature >= 20;
    }
}
