package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebhookUrlTest {

    private static String refusal(String url) {
        return assertThrows(IllegalArgumentException.class, () -> WebhookUrl.parse(url))
                .getMessage();
    }

    @Test
    void httpsIsAcceptedAnywhere() {
        assertEquals(
                "https://siem.example.com:443",
                WebhookUrl.parse(" https://siem.example.com/wirehaven?x=1 ").origin());
        assertEquals(
                "https://10.1.2.3:8443",
                WebhookUrl.parse("https://10.1.2.3:8443/hook").origin());
    }

    @Test
    void plainHttpIsAcceptedToLoopbackAddressesOnly() {
        assertEquals(
                "http://127.0.0.1:8080",
                WebhookUrl.parse("http://127.0.0.1:8080/hook").origin());
        assertEquals(
                "http://127.9.9.9:80", WebhookUrl.parse("http://127.9.9.9/hook").origin());
        assertEquals("http://[::1]:9000", WebhookUrl.parse("http://[::1]:9000/").origin());
        assertEquals(
                "http://localhost:80", WebhookUrl.parse("http://LOCALHOST/").origin());
    }

    @Test
    void plainHttpToAnotherHostIsRefusedNamingTheKeyAndTheFix() {
        String m = refusal("http://siem.example.com/services/T0/B0/s3cr3t-token");
        assertTrue(m.startsWith("url uses plain http to siem.example.com"), m);
        assertTrue(m.contains("use https://siem.example.com"), m);
        assertFalse(m.contains("s3cr3t"), "the path can be a credential: " + m);
        assertTrue(refusal("http://10.0.0.1/hook").startsWith("url uses plain http to 10.0.0.1"));
        // a name is not looked up, even one that resolves to loopback somewhere
        assertTrue(refusal("http://localhost.example.com/").startsWith("url uses plain http"));
        assertTrue(refusal("http://127.0.0.1.example.com/").startsWith("url uses plain http"));
    }

    @Test
    void otherSchemesAndMalformedUrlsAreRefused() {
        assertEquals("url must start with https:// (it starts with ftp:)", refusal("ftp://files.example.com/x"));
        assertEquals("url must start with https:// (it starts with file:)", refusal("file:///etc/passwd"));
        assertEquals("url must start with https:// (it has no scheme)", refusal("siem.example.com/hook"));
        assertTrue(refusal("https://exa mple.com/s3cr3t").startsWith("url is not a URL"));
        assertFalse(refusal("https://exa mple.com/s3cr3t").contains("s3cr3t"));
        assertTrue(refusal("https:///hook").startsWith("url has no host name"));
    }

    @Test
    void anEmptyUrlSaysWhatToSet() {
        assertTrue(refusal("  ").startsWith("url is not set: give the receiver's address"));
    }

    @Test
    void aUserAndPasswordInTheUrlAreRefusedWithoutRepeatingThem() {
        String m = refusal("https://ops:pa55word@siem.example.com/hook");
        assertTrue(m.startsWith("url carries a user name or password"), m);
        assertFalse(m.contains("pa55word"), m);
    }

    @Test
    void itShowsOnlyTheOrigin() {
        assertEquals(
                "https://hooks.example.com:443",
                WebhookUrl.parse("https://hooks.example.com/services/T0/B0/s3cr3t")
                        .toString());
    }
}
