package dev.wirehaven.policy.acl.internal.engine;

import dev.wirehaven.api.policy.PolicyEngine;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The engine's service registration, and how it announces a new policy: by raising the service property
 * {@value #VERSION_PROPERTY}. The server calls {@code rules()} again for every session when an engine's
 * service properties change, and drops the decisions it cached; a property change is the announcement the
 * {@link PolicyEngine} contract defines, and it keeps the service (and the sessions bound to it) in place,
 * where unregistering and registering again would make the engine vanish for a moment.
 *
 * <p>The engine registers itself rather than through Declarative Services because DS offers a component no
 * standard way to change its service's properties while it stays active.
 */
final class EngineService {

    /** The service property with the version of the policy in force: 0 before any, then 1, 2, ... */
    static final String VERSION_PROPERTY = "wirehaven.policy.version";

    /** The service property with the policy file. */
    static final String FILE_PROPERTY = "wirehaven.policy.file";

    private final String file;
    private volatile ServiceRegistration<PolicyEngine> registration;

    EngineService(String file) {
        this.file = file;
    }

    /** Registers {@code engine} with the version in force. */
    void register(BundleContext context, PolicyEngine engine, long version) {
        registration = context.registerService(PolicyEngine.class, engine, properties(version));
    }

    /** Tells the server that {@code version} is in force; before registration there is nobody to tell. */
    void announce(long version) {
        ServiceRegistration<PolicyEngine> r = registration;
        if (r == null) {
            return;
        }
        try {
            r.setProperties(properties(version));
        } catch (IllegalStateException e) {
            // unregistered meanwhile (the component is stopping): there is nothing left to announce to
        }
    }

    void unregister() {
        ServiceRegistration<PolicyEngine> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // the framework unregistered it already (the bundle is stopping)
            }
        }
    }

    Dictionary<String, Object> properties(long version) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(PolicyEngine.NAME_PROPERTY, AclEngine.NAME);
        p.put(VERSION_PROPERTY, version);
        p.put(FILE_PROPERTY, file);
        return p;
    }
}
