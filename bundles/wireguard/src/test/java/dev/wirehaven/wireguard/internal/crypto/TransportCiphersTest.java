package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link TransportCiphers} decides: the measured order per JDK, falling back past a native
 * library that cannot be loaded (and saying why), and a forced implementation that is unavailable
 * being an error rather than a silent fallback. Library names are passed in, as the system
 * properties {@code wirehaven.sodium.library} and {@code wirehaven.openssl.library} would.
 */
class TransportCiphersTest {

    private static final Map<String, List<String>> ABSENT = Map.of(
            "sodium", List.of("libsodium-not-here.so.99"),
            "openssl", List.of("/nonexistent/libcrypto.so.3"));
    private static final Map<String, List<String>> DEFAULTS =
            Map.of("sodium", LibSodium.DEFAULT_NAMES, "openssl", LibCrypto.DEFAULT_NAMES);

    @Test
    void withoutTheNativeLibrariesJdk17FallsBackToBouncyCastleAndSaysWhy() {
        TransportCiphers.Choice c = TransportCiphers.choose(null, 17, ABSENT);
        assertNull(c.failure());
        assertEquals("bc", c.name());
        assertEquals("bc", c.factory().get().name());
        assertTrue(c.description().startsWith("bc ("), c.description());
        assertTrue(c.description().contains("libsodium absent (tried libsodium-not-here.so.99)"), c.description());
        assertTrue(c.description().contains("libcrypto absent (tried /nonexistent/libcrypto.so.3)"), c.description());
    }

    @Test
    void withoutLibcryptoJdk25UsesTheJdkCipherAndSaysWhy() {
        TransportCiphers.Choice c = TransportCiphers.choose(null, 25, ABSENT);
        assertEquals("jdk", c.name());
        assertEquals("jdk", c.factory().get().name());
        assertTrue(c.description().contains("libcrypto absent (tried /nonexistent/libcrypto.so.3)"), c.description());
    }

    @Test
    void withLibcryptoPresentEveryJdkUsesOpenSsl() {
        NativeLibrariesPresent.assumePresent("openssl");
        assertEquals("openssl", TransportCiphers.choose(null, 17, DEFAULTS).name());
        assertEquals("openssl", TransportCiphers.choose(null, 25, DEFAULTS).name());
    }

    @Test
    void withTheLibrariesPresentTheFirstOfTheMeasuredOrderIsChosen() {
        for (String n : List.of("sodium", "openssl")) {
            NativeLibrariesPresent.assumePresent(n);
        }
        assertEquals(
                TransportCiphers.ORDER_BEFORE_20.get(0),
                TransportCiphers.choose(null, 17, DEFAULTS).name());
        assertEquals(
                TransportCiphers.ORDER_FROM_20.get(0),
                TransportCiphers.choose(null, 25, DEFAULTS).name());
        TransportCiphers.Choice c = TransportCiphers.choose(null, 17, DEFAULTS);
        assertEquals(c.name(), c.factory().get().name());
    }

    @Test
    void aForcedNativeCipherWhoseLibraryIsMissingIsAnErrorThatSaysSo() {
        TransportCiphers.Choice c = TransportCiphers.choose("sodium", 17, ABSENT);
        assertNotNull(c.failure());
        assertTrue(c.failure().contains("wirehaven.aead=sodium"), c.failure());
        assertTrue(c.failure().contains("libsodium absent"), c.failure());
        assertNull(c.factory());
        assertNotNull(TransportCiphers.choose("openssl", 25, ABSENT).failure());
    }

    @Test
    void forcingAJavaCipherNeedsNoLibrary() {
        assertEquals(
                "jdk",
                TransportCiphers.choose("jdk", 17, ABSENT).factory().get().name());
        assertEquals(
                "bc",
                TransportCiphers.choose(" BC ", 25, ABSENT).factory().get().name());
    }

    @Test
    void forcingAnInstalledNativeCipherUsesIt() {
        NativeLibrariesPresent.assumePresent("openssl");
        TransportCiphers.Choice c = TransportCiphers.choose("openssl", 25, DEFAULTS);
        assertNull(c.failure());
        assertEquals("openssl", c.factory().get().name());
        assertTrue(c.description().startsWith("openssl (OpenSSL "), c.description());
        assertTrue(c.description().contains("forced by wirehaven.aead"), c.description());
    }

    @Test
    void anUnknownNameIsAnError() {
        assertTrue(TransportCiphers.choose("aes", 17, DEFAULTS).failure().contains("'aes'"));
        assertThrows(IllegalArgumentException.class, () -> TransportCiphers.create("aes"));
    }

    @Test
    void theDescriptionOfThisJvmsChoiceNamesTheCipherInUse() {
        String d = TransportCiphers.description();
        assertTrue(d.startsWith(TransportCiphers.create().name() + " ("), d);
    }
}
