package dev.wirehaven.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;

/**
 * Which transport cipher implementations the tests must cover on this machine. A native one is
 * skipped (with a message) only when its library file cannot be opened at all; once it opens, the
 * tests use it and a failed load or known-answer test is a test failure, not a skip.
 */
final class NativeLibrariesPresent {

    private NativeLibrariesPresent() {}

    static boolean opens(String impl) {
        List<String> names = impl.equals("sodium") ? LibSodium.DEFAULT_NAMES : LibCrypto.DEFAULT_NAMES;
        for (String name : names) {
            try {
                NativeLibrary.getInstance(name);
                return true;
            } catch (UnsatisfiedLinkError e) {
                // try the next name
            }
        }
        return false;
    }

    static void assumePresent(String impl) {
        if (impl.equals("sodium") || impl.equals("openssl")) {
            assumeTrue(
                    opens(impl),
                    () -> impl + ": library not installed here (tried "
                            + (impl.equals("sodium") ? LibSodium.DEFAULT_NAMES : LibCrypto.DEFAULT_NAMES) + ")");
        }
    }

    /** jdk and bc, and each native implementation whose library is installed. */
    static List<String> implementations() {
        List<String> all = new ArrayList<>(List.of("jdk", "bc"));
        for (String n : List.of("sodium", "openssl")) {
            if (opens(n)) {
                all.add(n);
            } else {
                System.err.println("NOTE: " + n + " library not installed, its transport cipher is not tested");
            }
        }
        return all;
    }
}
