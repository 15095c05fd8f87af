package dev.wirehaven.auth.totp.internal.factor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.auth.totp.internal.codes.Totp;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TotpSettingsTest {

    @Test
    void theDefaultsAreThoseEveryAppHonours() {
        assertEquals(new TotpSettings("Wirehaven", 1, 6, 30), TotpSettings.DEFAULTS);
        assertEquals(new Totp(Totp.Algorithm.SHA1, 6, 30), TotpSettings.DEFAULTS.newEnrollment());
        assertEquals(TotpSettings.DEFAULTS, TotpSettings.of(Map.of()));
    }

    @Test
    void readsTheTextValuesOfACfgFile() {
        assertEquals(
                new TotpSettings("ACME VPN", 2, 8, 60),
                TotpSettings.of(
                        Map.of("issuer", " ACME VPN ", "window.steps", "2", "digits", "8", "period.seconds", "60")));
    }

    @Test
    void refusesAValueOutOfRangeNamingItsKey() {
        assertMessage("issuer: the issuer must not contain ':'", () -> new TotpSettings("A:B", 1, 6, 30));
        assertMessage("window.steps: 6 is outside 0..5", () -> new TotpSettings("A", 6, 6, 30));
        assertMessage("digits: 5 is outside 6..8", () -> new TotpSettings("A", 1, 5, 30));
        assertMessage("period.seconds: 5 is outside 10..300", () -> new TotpSettings("A", 1, 6, 5));
        assertMessage("digits: 'six' is not a whole number", () -> TotpSettings.of(Map.of("digits", "six")));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
