package dev.wirehaven.client;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a connection's events, in order, on the client's threads: return quickly and do not
 * call back into the connection from here.
 */
@ConsumerType
@FunctionalInterface
public interface ConnectionListener {

    void onEvent(ConnectionEvent event);
}
