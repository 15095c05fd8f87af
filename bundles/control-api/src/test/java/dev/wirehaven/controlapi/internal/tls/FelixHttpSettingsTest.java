package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FelixHttpSettingsTest {

    private static final Path DATA = Path.of("/opt/wirehaven/data");

    private static Map<String, Object> wanted(String host) {
        return FelixHttpSettings.of(TlsSettings.from(host == null ? Map.of() : Map.of("host", host), 8443, DATA));
    }

    /** What an earlier version wrote for Felix's own HTTPS connector, as text from data/config. */
    private static Hashtable<String, Object> writtenByAnEarlierVersion() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("service.pid", "org.apache.felix.http");
        current.put("org.apache.felix.https.enable", "true");
        current.put("org.osgi.service.http.port.secure", "8443");
        current.put("org.apache.felix.http.host", "0.0.0.0");
        current.put("org.apache.felix.https.keystore", "/opt/wirehaven/data/tls/keystore.p12");
        current.put("org.apache.felix.https.keystore.password", "secret");
        current.put("org.apache.felix.https.keystore.key.password", "secret");
        current.put("org.apache.felix.https.keystore.type", "PKCS12");
        current.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        current.put("org.apache.felix.http.timeout", "90000");
        current.put("wirehaven.tls.fingerprint", "AB:CD");
        return current;
    }

    @Test
    void felixsOwnHttpsIsOffAndItsPlainHttpListensWhereTheControlApiDoes() {
        Map<String, Object> wanted = wanted(null);

        assertEquals(Boolean.FALSE, wanted.get("org.apache.felix.https.enable"));
        assertEquals("0.0.0.0", wanted.get("org.apache.felix.http.host"));
        assertEquals("192.0.2.10", wanted("192.0.2.10").get("org.apache.felix.http.host"));
        assertFalse(wanted.containsKey("org.osgi.service.http.port"), "the web console's port stays the framework's");
        assertFalse(wanted.keySet().stream().anyMatch(k -> k.contains("keystore")), "no key material for Felix");
    }

    @Test
    void aConfigurationWithTheSameValuesIsNotWrittenAgain() {
        Map<String, Object> wanted = wanted(null);
        Hashtable<String, Object> current = new Hashtable<>();
        // as a file in etc/ or the web console give them: text
        wanted.forEach((k, v) -> current.put(k, v.toString()));
        current.put("org.apache.felix.http.jetty.threadpool.max", "400");

        assertEquals(List.of(), FelixHttpSettings.differences(current, wanted));
    }

    @Test
    void theHttpsSettingsOfAnEarlierVersionAreRemovedWithTheirPassword() {
        Hashtable<String, Object> current = writtenByAnEarlierVersion();
        current.put("org.apache.felix.http.jetty.threadpool.max", "400");

        List<String> changed = FelixHttpSettings.differences(current, wanted(null));
        Hashtable<String, Object> merged = FelixHttpSettings.merged(current, wanted(null));

        assertTrue(changed.contains("org.apache.felix.https.enable"), changed.toString());
        assertTrue(changed.containsAll(FelixHttpSettings.EARLIER_HTTPS_KEYS), changed.toString());
        assertEquals(Boolean.FALSE, merged.get("org.apache.felix.https.enable"));
        assertEquals("0.0.0.0", merged.get("org.apache.felix.http.host"));
        assertEquals("400", merged.get("org.apache.felix.http.jetty.threadpool.max"), "the operator's own key stays");
        FelixHttpSettings.EARLIER_HTTPS_KEYS.forEach(k -> assertFalse(merged.containsKey(k), k));
        assertFalse(merged.containsKey("service.pid"));
        assertEquals(List.of(), FelixHttpSettings.differences(merged, wanted(null)), "written once, then current");
    }

    @Test
    void anOperatorsOwnFelixSettingsWithoutTheEarlierMarkAreKept() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("org.apache.felix.https.enable", "false");
        current.put("org.apache.felix.http.host", "0.0.0.0");
        current.put("org.apache.felix.http.timeout", "30000");

        assertEquals(List.of(), FelixHttpSettings.differences(current, wanted(null)));
        assertEquals("30000", FelixHttpSettings.merged(current, wanted(null)).get("org.apache.felix.http.timeout"));
    }

    @Test
    void felixsOwnHttpsSwitchedOnAgainIsSwitchedOff() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("org.apache.felix.https.enable", "true");
        current.put("org.apache.felix.http.host", "0.0.0.0");

        assertEquals(List.of("org.apache.felix.https.enable"), FelixHttpSettings.differences(current, wanted(null)));
    }

    @Test
    void everyKeyIsMissingFromNoConfiguration() {
        Map<String, Object> wanted = wanted(null);

        assertTrue(FelixHttpSettings.differences(null, wanted).containsAll(wanted.keySet()));
    }
}
