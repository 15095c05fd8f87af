package dev.wirehaven.sessions.internal.realm;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The auth realms configured now, in matching order (ranking, then name). With none configured the
 * auth chain offers every installed provider's method as a first factor, as before realms existed.
 */
@Component(service = RealmRegistry.class, immediate = true)
public final class RealmRegistry {

    private static final Comparator<AuthRealm> ORDER =
            Comparator.comparingInt(AuthRealm::ranking).reversed().thenComparing(AuthRealm::name);

    private final ConcurrentMap<Long, AuthRealm> realms = new ConcurrentHashMap<>();

    @Reference(
            service = RealmComponent.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindRealm")
    void bindRealm(RealmComponent realm, java.util.Map<String, Object> properties) {
        realms.put((Long) properties.get(Constants.SERVICE_ID), realm.realm());
    }

    void unbindRealm(RealmComponent realm, java.util.Map<String, Object> properties) {
        realms.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    /** The realms in matching order; empty when none is configured. */
    public List<AuthRealm> inOrder() {
        return realms.values().stream().sorted(ORDER).toList();
    }
}
