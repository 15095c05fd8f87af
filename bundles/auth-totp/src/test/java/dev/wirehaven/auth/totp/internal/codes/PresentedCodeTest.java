package dev.wirehaven.auth.totp.internal.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class PresentedCodeTest {

    @Test
    void digitsAreATimeBasedCodeEvenWhenGrouped() {
        assertEquals(new PresentedCode.TimeBased("123456"), PresentedCode.of("123456"));
        assertEquals(new PresentedCode.TimeBased("123456"), PresentedCode.of("123 456"));
        assertEquals(new PresentedCode.TimeBased("12345678"), PresentedCode.of("1234-5678"));
    }

    @Test
    void tenSymbolsOfTheBackupAlphabetAreABackupCode() {
        assertEquals(new PresentedCode.Backup("abcdefghjk"), PresentedCode.of("ABCDE-fghjk"));
        // ten digits cannot be a TOTP code (at most eight), so they are read as a backup code
        assertEquals(new PresentedCode.Backup("2345678923"), PresentedCode.of("23456-78923"));
    }

    @Test
    void anythingElseIsMalformed() {
        assertEquals(new PresentedCode.Malformed(), PresentedCode.of("12345"));
        assertEquals(new PresentedCode.Malformed(), PresentedCode.of("123456789"));
        assertEquals(new PresentedCode.Malformed(), PresentedCode.of("12345a"));
        assertEquals(new PresentedCode.Malformed(), PresentedCode.of("١٢٣٤٥٦")); // Arabic-Indic digits
        assertEquals(new PresentedCode.Malformed(), PresentedCode.of("' OR 1=1 --"));
    }

    @Test
    void itsTextNeverShowsTheCode() {
        assertFalse(PresentedCode.of("123456").toString().contains("123456"));
        assertFalse(PresentedCode.of("abcde-fghjk").toString().contains("abcde"));
    }
}
