package dev.wirehaven.operations.internal.logging;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A service reference with a service id and object classes, all that a log entry's service is described by. */
final class TestServiceReference implements ServiceReference<Object> {

    private final Hashtable<String, Object> properties = new Hashtable<>();

    TestServiceReference(long id, String... objectClass) {
        properties.put(Constants.SERVICE_ID, id);
        properties.put(Constants.OBJECTCLASS, objectClass);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return properties.keySet().toArray(new String[0]);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return false;
    }

    @Override
    public int compareTo(Object reference) {
        return 0;
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(properties);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }
}
