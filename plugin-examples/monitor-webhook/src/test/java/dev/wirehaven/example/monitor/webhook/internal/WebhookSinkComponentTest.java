package dev.wirehaven.example.monitor.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.MonitoringSink;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class WebhookSinkComponentTest {

    /** What the component asked the framework to register, and whether it unregistered it. */
    private final Map<String, Object> registered = new HashMap<>();

    private boolean unregistered;

    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, args) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered = true;
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                    if (m.getName().equals("registerService") && args[0] == MonitoringSink.class) {
                        registered.put("service", args[1]);
                        Dictionary<?, ?> properties = (Dictionary<?, ?>) args[2];
                        for (Object key : Collections.list(properties.keys())) {
                            registered.put((String) key, properties.get(key));
                        }
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void theSinkIsRegisteredWithItsNameOnlyNeverItsSecretOrUrl() {
        TestConfig config = new TestConfig("https://hooks.example.com/services/T0/B0/path-token").withSecret("s3cr3t");
        WebhookSinkComponent component = new WebhookSinkComponent(context(), config);

        assertInstanceOf(WebhookSink.class, registered.remove("service"));
        assertEquals(Map.of(MonitoringSink.NAME_PROPERTY, "webhook"), registered);

        component.deactivate();
        assertTrue(unregistered);
    }
}
