package dev.wirehaven.auth.totp.internal.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupCodesTest {

    @Test
    void makesTenDistinctCodesShownInTwoGroupsOfFive() {
        List<String> codes = new BackupCodes(new SecureRandom()).generate();

        assertEquals(BackupCodes.PER_USER, codes.size());
        assertEquals(codes.size(), new HashSet<>(codes).size());
        for (String code : codes) {
            assertTrue(code.matches("[23456789a-hjkmnp-z]{5}-[23456789a-hjkmnp-z]{5}"), code);
        }
    }

    @Test
    void theAlphabetHasNoLookAlikes() {
        for (char c : "01ilo".toCharArray()) {
            assertEquals(-1, BackupCodes.ALPHABET.indexOf(c), "contains " + c);
        }
        assertEquals(31, BackupCodes.ALPHABET.length());
        assertEquals(31, BackupCodes.ALPHABET.chars().distinct().count());
    }

    @Test
    void aCodeIsTypedInEitherCaseWithOrWithoutTheHyphen() {
        Optional<String> normal = Optional.of("abcdefghjk");
        assertEquals(normal, BackupCodes.normalise("abcde-fghjk"));
        assertEquals(normal, BackupCodes.normalise("ABCDE-FGHJK"));
        assertEquals(normal, BackupCodes.normalise("abcdefghjk"));
        assertEquals(normal, BackupCodes.normalise("abcde fghjk"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcde-fghj", "abcde-fghjkm", "abcde-fghil", "123456", "abcde-fgh0k", "äbcde-fghjk", ""})
    void anythingElseIsNotABackupCode(String entered) {
        assertEquals(Optional.empty(), BackupCodes.normalise(entered));
    }

    @Test
    void whatWasShownIsWhatIsRecognised() {
        for (String code : new BackupCodes(new SecureRandom()).generate()) {
            assertEquals(code.replace("-", ""), BackupCodes.normalise(code).orElseThrow());
            assertInstanceOf(PresentedCode.Backup.class, PresentedCode.of(code));
        }
    }
}
