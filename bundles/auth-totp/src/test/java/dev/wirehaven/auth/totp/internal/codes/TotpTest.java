package dev.wirehaven.auth.totp.internal.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    /** RFC 6238 Appendix B: the seeds are these ASCII digits, 20, 32 and 64 bytes long, one per HMAC. */
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 = ("1234567890".repeat(6) + "1234").getBytes(StandardCharsets.US_ASCII);

    private static byte[] seed(Totp.Algorithm algorithm) {
        return switch (algorithm) {
            case SHA1 -> SEED_SHA1;
            case SHA256 -> SEED_SHA256;
            case SHA512 -> SEED_SHA512;
        };
    }

    @Test
    void theSeedsHaveTheLengthsOfTheRfc() {
        assertEquals(20, SEED_SHA1.length);
        assertEquals(32, SEED_SHA256.length);
        assertEquals(64, SEED_SHA512.length);
    }

    /** All 18 test vectors of RFC 6238 Appendix B: time (s), the step T in hex, the 8-digit TOTP, the mode. */
    @ParameterizedTest(name = "t={0} {3}: {2}")
    @CsvSource({
        "59,          0000000000000001, 94287082, SHA1",
        "59,          0000000000000001, 46119246, SHA256",
        "59,          0000000000000001, 90693936, SHA512",
        "1111111109,  00000000023523EC, 07081804, SHA1",
        "1111111109,  00000000023523EC, 68084774, SHA256",
        "1111111109,  00000000023523EC, 25091201, SHA512",
        "1111111111,  00000000023523ED, 14050471, SHA1",
        "1111111111,  00000000023523ED, 67062674, SHA256",
        "1111111111,  00000000023523ED, 99943326, SHA512",
        "1234567890,  000000000273EF07, 89005924, SHA1",
        "1234567890,  000000000273EF07, 91819424, SHA256",
        "1234567890,  000000000273EF07, 93441116, SHA512",
        "2000000000,  0000000003F940AA, 69279037, SHA1",
        "2000000000,  0000000003F940AA, 90698825, SHA256",
        "2000000000,  0000000003F940AA, 38618901, SHA512",
        "20000000000, 0000000027BC86AA, 65353130, SHA1",
        "20000000000, 0000000027BC86AA, 77737706, SHA256",
        "20000000000, 0000000027BC86AA, 47863826, SHA512"
    })
    void rfc6238AppendixB(long seconds, String stepHex, String expected, Totp.Algorithm algorithm) {
        Totp totp = new Totp(algorithm, 8, 30);
        Instant t = Instant.ofEpochSecond(seconds);

        assertEquals(Long.parseLong(stepHex, 16), totp.step(t));
        assertEquals(expected, totp.codeAt(seed(algorithm), t));
    }

    @Test
    void sixDigitsAreTheLastSixOfTheEightAndKeepTheirLeadingZeros() {
        Totp six = new Totp(Totp.Algorithm.SHA1, 6, 30);
        // 07081804 at 1111111109: the 6-digit code is 081804, with its zero
        assertEquals("081804", six.codeAt(SEED_SHA1, Instant.ofEpochSecond(1111111109)));
        assertEquals("287082", six.codeAt(SEED_SHA1, Instant.ofEpochSecond(59)));
    }

    @Test
    void theStepChangesOnThePeriodsBoundary() {
        Totp totp = new Totp(Totp.Algorithm.SHA1, 6, 30);
        assertEquals(0, totp.step(Instant.ofEpochSecond(29)));
        assertEquals(1, totp.step(Instant.ofEpochSecond(30)));
        assertEquals(2, new Totp(Totp.Algorithm.SHA1, 6, 60).step(Instant.ofEpochSecond(179)));
    }

    @Test
    void refusesDigitsAndPeriodsThatAreNoTotp() {
        assertThrows(IllegalArgumentException.class, () -> new Totp(Totp.Algorithm.SHA1, 5, 30));
        assertThrows(IllegalArgumentException.class, () -> new Totp(Totp.Algorithm.SHA1, 9, 30));
        assertThrows(IllegalArgumentException.class, () -> new Totp(Totp.Algorithm.SHA1, 6, 0));
    }

    /** The window of RFC 6238 section 5.2, numbered: (offset of the code's step from now, window, verdict). */
    @ParameterizedTest(name = "code of now{0}, window {1}: accepted {2}")
    @CsvSource({
        "0,  1, true", //  1: the code of now
        "-1, 1, true", //  2: the previous step's code, typed late
        "1,  1, true", //  3: the next step's, from a phone whose clock runs ahead
        "-2, 1, false", // 4: two steps old
        "2,  1, false", // 5: two steps ahead
        "-1, 0, false", // 6: no window at all
        "2,  2, true", //  7: a wider window
        "-3, 2, false" //  8: and its edge
    })
    void aCodeIsAcceptedWithinTheWindowOnly(int offset, int window, boolean accepted) {
        Totp totp = new Totp(Totp.Algorithm.SHA1, 6, 30);
        Instant now = Instant.parse("2026-11-25T10:00:05Z");
        long step = totp.step(now) + offset;

        OptionalLong match = totp.matchingStep(SEED_SHA1, totp.code(SEED_SHA1, step), now, window, -1);

        assertEquals(accepted ? OptionalLong.of(step) : OptionalLong.empty(), match);
    }

    @Test
    void aStepAtOrBeforeTheLastAcceptedOneIsNeverAMatch() {
        Totp totp = new Totp(Totp.Algorithm.SHA1, 6, 30);
        Instant now = Instant.parse("2026-11-25T10:00:05Z");
        long step = totp.step(now);
        String code = totp.code(SEED_SHA1, step);

        assertEquals(OptionalLong.of(step), totp.matchingStep(SEED_SHA1, code, now, 1, step - 1));
        assertEquals(OptionalLong.empty(), totp.matchingStep(SEED_SHA1, code, now, 1, step), "replayed");
        assertEquals(OptionalLong.empty(), totp.matchingStep(SEED_SHA1, code, now, 1, step + 1), "older than the last");
    }

    @Test
    void aWrongCodeMatchesNoStep() {
        Totp totp = new Totp(Totp.Algorithm.SHA1, 6, 30);
        Instant now = Instant.parse("2026-11-25T10:00:05Z");
        String right = totp.codeAt(SEED_SHA1, now);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);

        assertEquals(OptionalLong.empty(), totp.matchingStep(SEED_SHA1, wrong, now, 1, -1));
    }
}
