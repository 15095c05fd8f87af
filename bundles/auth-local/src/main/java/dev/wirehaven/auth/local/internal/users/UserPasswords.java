package dev.wirehaven.auth.local.internal.users;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.shiro.authc.credential.PasswordService;
import org.apache.shiro.crypto.hash.Hash;
import org.apache.shiro.crypto.hash.HashRequest;
import org.apache.shiro.crypto.hash.HashSpi;
import org.apache.shiro.crypto.hash.format.Shiro2CryptFormat;
import org.apache.shiro.crypto.support.hashes.argon2.Argon2HashProvider;
import org.apache.shiro.lang.util.ByteSource;

/**
 * The local users' password hashes: Argon2id through Shiro's own Argon2 provider, written in
 * Shiro's {@code $shiro2$} crypt format ({@code $shiro2$argon2id$v=19$t=2,m=19456,p=1$<salt>$<hash>}),
 * so that any Shiro {@code PasswordMatcher} reads them and a later change of cost still reads the
 * old ones (each hash names its own parameters).
 *
 * <p>Why the provider is named here rather than found: Shiro's {@code DefaultPasswordService}
 * finds its hash algorithms through {@code java.util.ServiceLoader}. In Felix that works only
 * through SPI Fly weaving Shiro's crypto bundle, which holds only if SPI Fly was active before
 * Shiro's classes were first loaded (we saw it work, but a start order is not a guarantee), and it
 * instantiates every provider on every call. Naming {@link Argon2HashProvider} works the same in
 * the framework and on the command line's plain class path.
 *
 * <p>Cost: OWASP's first Argon2id setting (19 MiB, 2 passes, 1 lane), about 30 ms per hash with
 * BouncyCastle. The memory is the point of Argon2 and also its risk for a server: a burst of logins
 * would hold 19 MiB each. At most {@link #MAX_CONCURRENT_HASHES} hashes run at once, which costs
 * nothing in throughput because hashing is bound by the CPU anyway, and bounds the memory. The queue
 * of password checks in front of them is bounded too ({@link #MAX_WAITING_CHECKS}): a check beyond it
 * is refused at once with {@link HashingBusyException} instead of holding one more request thread,
 * which the auth provider answers as UNAVAILABLE (not as a failed login). The session layer bounds the
 * credential checks of all providers in the same way before they get here; this bound is for the
 * hasher's own sake. Hashing a new password (the operator's commands) waits for its turn as before.
 *
 * <p>Shiro compares the recomputed hash with {@code String.equals}, not in constant time. That
 * leaks nothing useful: the compared value is Argon2 of the guess under a secret salt, which the
 * guesser cannot compute, so learning how many of its leading characters match tells them nothing.
 */
final class UserPasswords implements PasswordService {

    static final String ALGORITHM = "argon2id";
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int MAX_CONCURRENT_HASHES = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Password checks that may wait for a hash place, beyond those that run. */
    static final int MAX_WAITING_CHECKS = 4 * MAX_CONCURRENT_HASHES;

    private static final String PREFIX = Shiro2CryptFormat.MCF_PREFIX;

    private final HashSpi argon2 = new Argon2HashProvider();
    private final HashSpi.HashFactory factory;
    private final Shiro2CryptFormat format = new Shiro2CryptFormat();
    private final Semaphore hashing;
    /** The password checks that run or wait; at most {@link #checkLimit}. */
    private final AtomicInteger checks = new AtomicInteger();

    private final int checkLimit;

    UserPasswords(SecureRandom random) {
        this(random, MAX_CONCURRENT_HASHES, MAX_WAITING_CHECKS);
    }

    UserPasswords(SecureRandom random, int concurrentHashes, int waitingChecks) {
        this.factory = argon2.newHashFactory(random);
        this.hashing = new Semaphore(concurrentHashes, true);
        this.checkLimit = concurrentHashes + waitingChecks;
    }

    /** A new salted hash of {@code password}; does not wipe the caller's array. */
    String hash(char[] password) {
        byte[] bytes = utf8(password);
        try {
            HashRequest request = new HashRequest.Builder()
                    .setSource(ByteSource.Util.bytes(bytes))
                    .setAlgorithmName(ALGORITHM)
                    // Shiro's Argon2 provider parses its parameters from strings (they come from INI files)
                    .addParameter(Argon2HashProvider.Parameters.PARAMETER_MEMORY_KIB, Integer.toString(MEMORY_KIB))
                    .addParameter(Argon2HashProvider.Parameters.PARAMETER_ITERATIONS, Integer.toString(ITERATIONS))
                    .addParameter(Argon2HashProvider.Parameters.PARAMETER_PARALLELISM, Integer.toString(PARALLELISM))
                    .build();
            hashing.acquireUninterruptibly();
            try {
                return format.format(factory.generate(request));
            } finally {
                hashing.release();
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * True when {@code password} is the one that {@code stored} was made from.
     *
     * @throws IllegalArgumentException when {@code stored} is not a hash that this server can read
     * @throws HashingBusyException when as many checks run and wait as this hasher takes
     */
    boolean matches(char[] password, String stored) {
        Hash hash = parse(stored);
        byte[] bytes = utf8(password);
        try {
            enterCheck();
            try {
                return hash.matchesPassword(ByteSource.Util.bytes(bytes));
            } finally {
                leaveCheck();
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Takes a place for one password check, waiting for a hash place while the queue has room. */
    void enterCheck() {
        if (checks.incrementAndGet() > checkLimit) {
            checks.decrementAndGet();
            throw new HashingBusyException();
        }
        hashing.acquireUninterruptibly();
    }

    /** Gives back the place of {@link #enterCheck()}. */
    void leaveCheck() {
        hashing.release();
        checks.decrementAndGet();
    }

    /** As many password checks run and wait as the hasher takes; the check was not made. */
    static final class HashingBusyException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        HashingBusyException() {
            super("as many password checks run and wait as the server takes", null, false, false);
        }
    }

    /** Shiro's entry point; takes a {@code char[]} (what {@code UsernamePasswordToken} carries) or a String. */
    @Override
    public String encryptPassword(Object plaintext) {
        char[] password = chars(plaintext);
        try {
            return hash(password);
        } finally {
            if (password != plaintext) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Shiro's entry point, used by its {@code PasswordMatcher}. */
    @Override
    public boolean passwordsMatch(Object submitted, String stored) {
        char[] password = chars(submitted);
        try {
            return matches(password, stored);
        } finally {
            if (password != submitted) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private Hash parse(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a $shiro2$ password hash");
        }
        String crypt = stored.substring(PREFIX.length() - 1); // "$argon2id$v=19$..."
        String algorithm = crypt.substring(1, Math.max(1, crypt.indexOf('$', 1)));
        if (!argon2.getImplementedAlgorithms().contains(algorithm)) {
            throw new IllegalArgumentException(
                    "a password hash of algorithm '" + algorithm + "', which this server does not read");
        }
        try {
            return argon2.fromString(crypt);
        } catch (RuntimeException e) {
            // Shiro's parser reports a malformed value with whatever exception the bad part caused
            throw new IllegalArgumentException("a malformed " + algorithm + " password hash", e);
        }
    }

    private static char[] chars(Object plaintext) {
        if (plaintext instanceof char[] c) {
            return c;
        }
        if (plaintext instanceof String s) {
            return s.toCharArray();
        }
        throw new IllegalArgumentException("a password must be a char[] or a String, not "
                + (plaintext == null ? "null" : plaintext.getClass().getName()));
    }

    /** UTF-8 without an intermediate String, so that the caller's copy is the only one left to wipe. */
    private static byte[] utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            ByteBuffer encoded = encoder.encode(CharBuffer.wrap(password));
            byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
            Arrays.fill(encoded.array(), (byte) 0);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("UTF-8 with replacement cannot fail", e);
        }
    }
}
