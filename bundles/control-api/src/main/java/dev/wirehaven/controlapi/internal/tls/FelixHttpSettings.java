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
 * What the server writes into the configuration {@value #PID} of Felix HTTP Jetty (property names of
 * Felix HTTP Jetty 5.x, {@code JettyConfig}) now that the control API has its own HTTPS connector
 * ({@link HttpsConnector}): Felix's own HTTPS connector off, and the listen address.
 *
 * <p>Felix HTTP has one listen address, and its plain HTTP connector (the web console) listens there.
 * It is the control API's address, so that a client that tries the API over plain HTTP from another
 * host gets 403 naming the HTTPS port rather than no answer; {@code internal.http.LocalOnlyOutsideApi}
 * keeps everything but the control API answering to this host's own addresses only.
 *
 * <p>Earlier versions had Felix serve HTTPS and wrote its keystore, password, port, protocols and idle
 * timeout here, with {@value #FINGERPRINT} as their mark. Where that mark is, those keys are removed: the
 * keystore password then no longer sits in Felix's configuration either. Every other key (an operator's
 * own tuning) is kept as it is. Jetty restarts on every update of its configuration, so an update is
 * made only when something differs.
 */
final class FelixHttpSettings {

    static final String PID = "org.apache.felix.http";

    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    static final String HOST = "org.apache.felix.http.host";
    /** The mark of the HTTPS settings that earlier versions wrote: the fingerprint of their keystore. */
    static final String FINGERPRINT = "wirehaven.tls.fingerprint";
    /** The keys of Felix's own HTTPS that earlier versions wrote, with their mark. */
    static final List<String> EARLIER_HTTPS_KEYS = List.of(
            "org.osgi.service.http.port.secure",
            "org.apache.felix.https.keystore",
            "org.apache.felix.https.keystore.password",
            "org.apache.felix.https.keystore.key.password",
            "org.apache.felix.https.keystore.type",
            "org.apache.felix.https.jetty.protocols.included",
            "org.apache.felix.http.timeout",
            FINGERPRINT);

    /** Keys that Configuration Admin maintains itself and that an update must not carry. */
    private static final Set<String> MANAGED = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private FelixHttpSettings() {}

    /** The values the server owns, for these settings. */
    static Map<String, Object> of(TlsSettings settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(HTTPS_ENABLE, Boolean.FALSE);
        values.put(HOST, settings.host());
        return values;
    }

    /**
     * The keys whose value in {@code current} differs from {@code wanted}, compared as text because
     * Felix reads every value as text and a file in {@code etc/} gives strings, then the keys of an
     * earlier version's HTTPS settings that are still there.
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
        changed.addAll(earlierHttpsKeys(current));
        return changed;
    }

    /**
     * The properties to write: {@code current} without managed keys and without an earlier version's
     * HTTPS settings, with {@code wanted} on top.
     */
    static Hashtable<String, Object> merged(Dictionary<String, ?> current, Map<String, Object> wanted) {
        Hashtable<String, Object> merged = new Hashtable<>();
        List<String> earlier = earlierHttpsKeys(current);
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                if (!MANAGED.contains(key) && !earlier.contains(key)) {
                    merged.put(key, current.get(key));
                }
            }
        }
        merged.putAll(wanted);
        return merged;
    }

    /** The keys of {@link #EARLIER_HTTPS_KEYS} in {@code current}, when it carries their mark. */
    private static List<String> earlierHttpsKeys(Dictionary<String, ?> current) {
        List<String> present = new ArrayList<>();
        if (current != null && current.get(FINGERPRINT) != null) {
            for (String key : EARLIER_HTTPS_KEYS) {
                if (current.get(key) != null) {
                    present.add(key);
                }
            }
        }
        return present;
    }
}
