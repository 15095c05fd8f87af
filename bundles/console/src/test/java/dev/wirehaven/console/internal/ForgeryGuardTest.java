package dev.wirehaven.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.console.internal.ForgeryGuard.Request;
import dev.wirehaven.console.internal.ForgeryGuard.Verdict;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForgeryGuardTest {

    private static final String CONSOLE = "127.0.0.1:8080";
    private static final String OWN = "http://127.0.0.1:8080";

    private final ForgeryGuard guard = new ForgeryGuard(Set.of("Console.Example.Org"));

    private static Request post(String host, String origin, String referer, String fetchSite) {
        return new Request("POST", "http", host, origin, referer, fetchSite);
    }

    private Verdict check(Request r) {
        return guard.check(r);
    }

    // ---- the console's own pages keep working ---------------------------------------------------

    @Test
    void aPostFromTheConsolesOwnPageIsAllowed() {
        assertTrue(check(post(CONSOLE, OWN, OWN + "/system/console/bundles", "same-origin"))
                .allowed());
    }

    @Test
    void aPostWithoutOriginButWithTheConsolesOwnRefererIsAllowed() {
        assertTrue(check(post(CONSOLE, null, OWN + "/system/console/configMgr", null))
                .allowed());
    }

    @Test
    void theDefaultPortMayBeSpelledOrNot() {
        assertTrue(check(post("localhost", "http://localhost:80", null, null)).allowed());
        assertTrue(guard.check(new Request("POST", "https", "localhost:443", "https://localhost", null, null))
                .allowed());
    }

    @Test
    void readingPagesNeedsOnlyAHostOfThisConsole() {
        assertTrue(check(new Request("GET", "http", CONSOLE, null, null, "cross-site"))
                .allowed());
        assertTrue(check(new Request("HEAD", "http", "[::1]:8080", null, null, null))
                .allowed());
        assertTrue(check(new Request("GET", "http", "console.example.org", null, null, null))
                .allowed());
    }

    // ---- cross-site posts ------------------------------------------------------------------------

    @Test
    void aPostFromAnotherOriginIsRefused() {
        Verdict v = check(post(CONSOLE, "http://evil.example", "http://evil.example/page", "cross-site"));
        assertFalse(v.allowed());
    }

    @Test
    void anotherPortOfTheSameHostIsAnotherOrigin() {
        assertFalse(check(post(CONSOLE, "http://127.0.0.1:9999", null, null)).allowed());
    }

    @Test
    void aSandboxedPageWithOriginNullIsRefused() {
        assertFalse(check(post(CONSOLE, "null", null, null)).allowed());
    }

    @Test
    void aRefererFromAnotherSiteIsRefused() {
        assertFalse(check(post(CONSOLE, null, "http://evil.example/x?u=" + OWN, null))
                .allowed());
        assertFalse(check(post(CONSOLE, null, "http://127.0.0.1:8080.evil.example/", null))
                .allowed());
        assertFalse(check(post(CONSOLE, null, "not a url", null)).allowed());
    }

    @Test
    void aPostWithNeitherOriginNorRefererIsRefusedAndTheReasonSaysWhatToSend() {
        Verdict v = check(post(CONSOLE, null, null, null));
        assertFalse(v.allowed());
        assertTrue(v.reason().contains("Origin: " + OWN), v.reason());
    }

    @Test
    void theBrowsersFetchSiteOverridesAMatchingOrigin() {
        assertFalse(check(post(CONSOLE, OWN, null, "same-site")).allowed());
        assertFalse(check(post(CONSOLE, OWN, null, "cross-site")).allowed());
        assertTrue(check(post(CONSOLE, OWN, null, "none")).allowed());
    }

    @Test
    void everyMethodButGetHeadAndOptionsIsAStateChange() {
        for (String m : new String[] {"PUT", "DELETE", "PATCH", "post", "PROPFIND"}) {
            assertFalse(
                    check(new Request(m, "http", CONSOLE, "http://evil.example", null, null))
                            .allowed(),
                    m);
        }
    }

    // ---- DNS rebinding ----------------------------------------------------------------------------

    @Test
    void aHostThatIsNotANameOfThisConsoleIsRefusedEvenForAGet() {
        Verdict v = check(new Request("GET", "http", "evil.example:8080", null, null, null));
        assertFalse(v.allowed());
        assertTrue(v.reason().contains("console.hosts"), v.reason());
        // a rebinding page is same-origin with itself: its Origin matches its Host, and that is not enough
        assertFalse(check(post("evil.example:8080", "http://evil.example:8080", null, "same-origin"))
                .allowed());
    }

    @Test
    void missingOrMalformedHostHeadersAreRefused() {
        assertFalse(check(new Request("GET", "http", null, null, null, null)).allowed());
        assertFalse(check(new Request("GET", "http", " ", null, null, null)).allowed());
        assertFalse(check(new Request("GET", "http", "127.0.0.1:80x", null, null, null))
                .allowed());
        assertFalse(check(new Request("GET", "http", "127.0.0.1@evil.example", null, null, null))
                .allowed());
        assertFalse(check(new Request("GET", "http", "[::1", null, null, null)).allowed());
    }

    @Test
    void loopbackNamesAreThoseThatNeverGoThroughDns() {
        assertTrue(ForgeryGuard.isLoopbackName("localhost"));
        assertTrue(ForgeryGuard.isLoopbackName("127.0.0.1"));
        assertTrue(ForgeryGuard.isLoopbackName("127.1.2.3"));
        assertTrue(ForgeryGuard.isLoopbackName("[::1]"));
        assertFalse(ForgeryGuard.isLoopbackName("127.0.0.1.evil.example"));
        assertFalse(ForgeryGuard.isLoopbackName("127.0.0.256"));
        assertFalse(ForgeryGuard.isLoopbackName("localhost.evil.example"));
        assertFalse(ForgeryGuard.isLoopbackName("10.0.0.1"));
    }

    @Test
    void hostNamesLoseTheirPortAndCase() {
        assertEquals(Optional.of("localhost"), ForgeryGuard.hostName("LocalHost:8080"));
        assertEquals(Optional.of("[::1]"), ForgeryGuard.hostName("[::1]:8080"));
        assertEquals(Optional.empty(), ForgeryGuard.hostName("a b"));
    }

    @Test
    void aRefererWithCredentialsInItStillNamesItsOrigin() {
        assertEquals(Optional.of("http://127.0.0.1:8080"), ForgeryGuard.originOf("http://u:p@127.0.0.1:8080/x"));
        assertEquals(Optional.empty(), ForgeryGuard.originOf("javascript:alert(1)"));
    }

    @Test
    void logLinesCannotBeForgedThroughAHeader() {
        String logged = SafeLog.text("http://evil.example\n2026-12-04 INFO forged\u202e");
        assertFalse(logged.contains("\n"));
        assertFalse(logged.contains("\u202e"));
        assertTrue(logged.contains("\\u000a"), logged);
    }
}
