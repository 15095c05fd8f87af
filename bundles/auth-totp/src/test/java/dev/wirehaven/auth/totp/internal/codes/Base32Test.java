package dev.wirehaven.auth.totp.internal.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 section 10, without the padding that otpauth URIs leave out. */
    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({
        "'',       ''",
        "f,        MY",
        "fo,       MZXQ",
        "foo,      MZXW6",
        "foob,     MZXW6YQ",
        "fooba,    MZXW6YTB",
        "foobar,   MZXW6YTBOI"
    })
    void rfc4648Vectors(String text, String base32) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(base32, Base32.encode(bytes));
        assertArrayEquals(bytes, Base32.decode(base32));
    }

    @Test
    void decodesThePaddedFormLowerCaseAndGroupedText() {
        byte[] foobar = "foobar".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(foobar, Base32.decode("MZXW6YTBOI======"));
        assertArrayEquals(foobar, Base32.decode("mzxw6ytboi"));
        assertArrayEquals(foobar, Base32.decode("MZXW 6YTB OI"));
        assertArrayEquals("f".getBytes(StandardCharsets.US_ASCII), Base32.decode("MY======"));
    }

    @Test
    void aTwentyByteSecretIsThirtyTwoCharactersWithoutPadding() {
        String text = Base32.encode(new byte[20]);
        assertEquals("A".repeat(32), text);
    }

    @Test
    void roundTripsEveryLength() {
        Random random = new Random(6238);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = Base32.encode(bytes);
            assertEquals(0, text.chars().filter(c -> c == '=').count());
            assertArrayEquals(bytes, Base32.decode(text), "length " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW1", "MZXW0", "MZ=XW", "M", "MZX", "MZXW6Y", "MZ*W"})
    void refusesWhatIsNotBase32(String text) {
        assertThrows(IllegalArgumentException.class, () -> Base32.decode(text));
    }
}
