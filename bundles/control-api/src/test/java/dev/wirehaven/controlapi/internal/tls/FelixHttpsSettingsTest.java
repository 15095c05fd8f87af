package dev.wirehaven.controlapi.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FelixHttpsSettingsTest {

    @TempDir
    Path data;

    private Map<String, Object> wanted(int port) {
        TlsIdentity identity = new ServerCertificate(data.resolve("tls"), Clock.systemUTC(), new SecureRandom(),
                List::of).loadOrCreate(List.of("localhost"));
        return FelixHttpsSettings.of(TlsSettings.from(Map.of("port", port), 8443, data), identity);
    }

    @Test
    void theSettingsUseFelixHttpJettyPropertyNames() {
        Map<String, Object> wanted = wanted(8443);

        assertEquals(Boolean.TRUE, wanted.get("org.apache.felix.https.enable"));
        assertEquals(8443, wanted.get("org.osgi.service.http.port.secure"));
        assertEquals("0.0.0.0", wanted.get("org.apache.felix.http.host"));
        assertEquals(data.resolve("tls/keystore.p12").toString(), wanted.get("org.apache.felix.https.keystore"));
        assertEquals("PKCS12", wanted.get("org.apache.felix.https.keystore.type"));
        assertEquals(wanted.get("org.apache.felix.https.keystore.password"),
                wanted.get("org.apache.felix.https.keystore.key.password"));
        assertFalse(wanted.containsKey("org.osgi.service.http.port"), "the web console's port stays the framework's");
    }

    @Test
    void aConfigurationWithTheSameValuesIsNotWrittenAgain() {
        Map<String, Object> wanted = wanted(8443);
        Hashtable<String, Object> current = new Hashtable<>();
        // as a file in etc/ or the web console give them: text
        wanted.forEach((k, v) -> current.put(k, v.toString()));
        current.put("org.apache.felix.http.jetty.threadpool.max", "400");

        assertEquals(List.of(), FelixHttpsSettings.differences(current, wanted));
    }

    @Test
    void aChangedPortIsTheOnlyDifference() {
        Hashtable<String, Object> current = FelixHttpsSettings.merged(null, wanted(8443));

        assertEquals(List.of("org.osgi.service.http.port.secure"),
                FelixHttpsSettings.differences(current, wanted(9443)));
    }

    @Test
    void writingKeepsTheOperatorsOwnKeysAndLeavesOutManagedOnes() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("service.pid", "org.apache.felix.http");
        current.put("org.apache.felix.http.jetty.threadpool.max", "400");
        current.put("org.osgi.service.http.port.secure", "1234");

        Hashtable<String, Object> merged = FelixHttpsSettings.merged(current, wanted(8443));

        assertEquals("400", merged.get("org.apache.felix.http.jetty.threadpool.max"));
        assertEquals(8443, merged.get("org.osgi.service.http.port.secure"));
        assertFalse(merged.containsKey("service.pid"));
    }

    @Test
    void everyKeyIsMissingFromNoConfiguration() {
        Map<String, Object> wanted = wanted(8443);

        assertTrue(FelixHttpsSettings.differences(null, wanted).containsAll(wanted.keySet()));
    }
}
