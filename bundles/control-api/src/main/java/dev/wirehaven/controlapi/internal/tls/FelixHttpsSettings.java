package dev.wirehaven.controlapi.internal.tls;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTPS settings that the server writes into the configuration {@value #PID} of Felix HTTP Jetty
 * (property names of Felix HTTP Jetty 5.x, {@code JettyConfig}).
 *
 * <p>Only the keys below are the server's; every other key (an operator's own tuning, the plain HTTP
 * port, which comes from the framework property) is kept as it is. Jetty restarts on every update of
 * its configuration, so an update is made only when one of these values differs.
 *
 * <p>Felix HTTP has one listen address for both connectors. The HTTPS connector must be reachable from
 * other hosts, so the plain HTTP connector (the web console) listens there too;
 * {@code internal.api.LocalOnlyOutsideApi} keeps everything but the control API answering to this
 * host's own addresses only.
 */
final class FelixHttpsSettings {

    static final String PID = "org.apache.felix.http";

    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    static final String HTTPS_PORT = "org.osgi.service.http.port.secure";
    static final String HOST = "org.apache.felix.http.host";
    static final String KEYSTORE = "org.apache.felix.https.keystore";
    static final String KEYSTORE_PASSWORD = "org.apache.felix.https.keystore.password";
    static final String KEY_PASSWORD = "org.apache.felix.https.keystore.key.password";
    static final String KEYSTORE_TYPE = "org.apache.felix.https.keystore.type";
    static final String PROTOCOLS = "org.apache.felix.https.jetty.protocols.included";
    static final String IDLE_TIMEOUT = "org.apache.felix.http.timeout";
    /**
     * Not a Jetty setting: the fingerprint of the certificate in the keystore. A keystore replaced at
     * the same path with the same password changes no other value, yet Jetty must load it anew.
     */
    static final String FINGERPRINT = "wirehaven.tls.fingerprint";

    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); clients of this API are new. */
    static final String TLS_PROTOCOLS = "TLSv1.3,TLSv1.2";
    /**
     * Connection idle timeout in milliseconds: above the longest policy long poll (60 s), so that a
     * waiting poll is never cut by Jetty's default of 60 s.
     */
    static final int IDLE_TIMEOUT_MILLIS = 90_000;

    /** Keys that Configuration Admin maintains itself and that an update must not carry. */
    private static final Set<String> MANAGED = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private FelixHttpsSettings() {
    }

    /** The values the server owns, for these settings and this identity. */
    static Map<String, Object> of(TlsSettings settings, TlsIdentity identity) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(HTTPS_ENABLE, Boolean.TRUE);
        values.put(HTTPS_PORT, settings.port());
        values.put(HOST, settings.host());
        values.put(KEYSTORE, identity.keystore().toString());
        values.put(KEYSTORE_PASSWORD, identity.password());
        values.put(KEY_PASSWORD, identity.password());
        values.put(KEYSTORE_TYPE, KeystoreFiles.TYPE);
        values.put(PROTOCOLS, TLS_PROTOCOLS);
        values.put(IDLE_TIMEOUT, IDLE_TIMEOUT_MILLIS);
        values.put(FINGERPRINT, identity.fingerprint());
        return values;
    }

    /**
     * The keys whose value in {@code current} differs from {@code wanted}, compared as text because
     * Felix reads every value as text and a file in {@code etc/} gives strings.
     *
     * @param current the configuration's properties now, or {@code null} when there is none
     */
    static List<String> differences(Dictionary<String, ?> current, Map<String, Object> wanted) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            Object now = current == null ? null : current.get(e.getKey());
            if (now == null || !Objects.equals(now.toString(), e.getValue().toString())) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }

    /** The properties to write: {@code current} without managed keys, with {@code wanted} on top. */
    static Hashtable<String, Object> merged(Dictionary<String, ?> current, Map<String, Object> wanted) {
        Hashtable<String, Object> merged = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!MANAGED.contains(key)) {
                    merged.put(key, current.get(key));
                }
            }
        }
        merged.putAll(wanted);
        return merged;
    }
}
