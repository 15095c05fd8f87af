package dev.wirehaven.auth.totp.internal.codes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238): HOTP (RFC 4226) of the number of time steps since the
 * Unix epoch. The code is {@code HMAC(secret, step as 8 bytes big-endian)}, dynamically truncated to
 * 31 bits (RFC 4226 section 5.3) and reduced to {@code digits} decimal digits with leading zeros.
 *
 * <p>Never reads the clock: the caller says which instant or step it means, so that the verifier
 * runs on an injected clock and the RFC's vectors are exact.
 */
public final class Totp {

    /** The HMAC of the code; authenticator apps commonly honour only SHA1, the RFC's default. */
    public enum Algorithm {
        SHA1("HmacSHA1"),
        SHA256("HmacSHA256"),
        SHA512("HmacSHA512");

        private final String mac;

        Algorithm(String mac) {
            this.mac = mac;
        }

        /** The JCA name of the HMAC. */
        public String macName() {
            return mac;
        }
    }

    /** RFC 4226 section 5.3: at least 6 digits; more than 8 cannot come from 31 bits evenly enough to matter. */
    public static final int MIN_DIGITS = 6;

    public static final int MAX_DIGITS = 8;

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final Algorithm algorithm;
    private final int digits;
    private final int periodSeconds;

    /**
     * @param digits the length of a code, {@value #MIN_DIGITS} to {@value #MAX_DIGITS}
     * @param periodSeconds the time step X of RFC 6238 section 4.1, in seconds (T0 is 0)
     */
    public Totp(Algorithm algorithm, int digits, int periodSeconds) {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "a code has " + MIN_DIGITS + " to " + MAX_DIGITS + " digits, not " + digits);
        }
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("the time step must be at least one second, not " + periodSeconds);
        }
        this.algorithm = algorithm;
        this.digits = digits;
        this.periodSeconds = periodSeconds;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public int periodSeconds() {
        return periodSeconds;
    }

    /** The time step T that {@code instant} falls in: floor(unix seconds / period). */
    public long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), periodSeconds);
    }

    /** The code of {@code secret} at {@code instant}. */
    public String codeAt(byte[] secret, Instant instant) {
        return code(secret, step(instant));
    }

    /** The code of {@code secret} for time step {@code step}, as digits with leading zeros. */
    public String code(byte[] secret, long step) {
        byte[] hash = hmac(secret, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        // dynamic truncation: the low nibble of the last byte picks where 4 bytes are taken, top bit cleared
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    /**
     * The step whose code {@code code} is, among the steps from {@code windowSteps} before to
     * {@code windowSteps} after {@code instant}'s (RFC 6238 section 5.2: the clocks of phone and server
     * differ, and a code typed near the end of its step arrives in the next), and later than
     * {@code after}, the step of the code accepted last: a code is accepted once, and never after a newer
     * one. When two steps of the window have the same code, the older one is taken, which leaves the newer
     * one usable.
     *
     * <p>Every candidate is computed and compared in constant time, so that the time taken says nothing
     * about which step, or whether any, matched.
     *
     * @return the step, or empty when no step of the window after {@code after} has this code
     */
    public OptionalLong matchingStep(byte[] secret, String code, Instant instant, int windowSteps, long after) {
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long now = step(instant);
        long found = -1;
        for (long s = now + windowSteps; s >= now - windowSteps; s--) {
            boolean same = MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII), presented);
            if (same && s > after && s >= 0) {
                found = s;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }

    private byte[] hmac(byte[] secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(secret, algorithm.macName()));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm.macName(), e);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("a TOTP secret cannot be empty", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Totp t
                && algorithm == t.algorithm
                && digits == t.digits
                && periodSeconds == t.periodSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, digits, periodSeconds);
    }

    @Override
    public String toString() {
        return "Totp[" + algorithm + ", " + digits + " digits, " + periodSeconds + " s]";
    }
}
