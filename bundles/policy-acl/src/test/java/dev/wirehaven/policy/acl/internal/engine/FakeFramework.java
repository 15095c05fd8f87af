package dev.wirehaven.policy.acl.internal.engine;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A {@link BundleContext} that records what a component registers and how it changes the registration's
 * properties: enough of the framework for the component's own contract, without starting one.
 */
final class FakeFramework {

    final Map<String, String> frameworkProperties = new HashMap<>();
    final List<Object> services = new ArrayList<>();
    /** The properties of the registration, every version: at registration, then each setProperties. */
    final List<Map<String, Object>> propertyHistory = new ArrayList<>();

    boolean unregistered;

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return frameworkProperties.get((String) args[0]);
                        case "registerService":
                            services.add(args[1]);
                            propertyHistory.add(copy((Dictionary<?, ?>) args[2]));
                            return registration();
                        case "toString":
                            return "FakeFramework";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private ServiceRegistration<?> registration() {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setProperties":
                            if (unregistered) {
                                throw new IllegalStateException("unregistered");
                            }
                            propertyHistory.add(copy((Dictionary<?, ?>) args[0]));
                            return null;
                        case "unregister":
                            unregistered = true;
                            return null;
                        case "toString":
                            return "FakeRegistration";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static Map<String, Object> copy(Dictionary<?, ?> d) {
        Map<String, Object> m = new HashMap<>();
        for (Object key : Collections.list(d.keys())) {
            m.put((String) key, d.get(key));
        }
        return m;
    }
}
