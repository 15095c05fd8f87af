package dev.wirehaven.sessions.internal.ipam;

/**
 * Every address of a pool is leased to an active session, so a new device cannot get one. The
 * message names the pool and its size, which is what the operator needs to enlarge the subnet.
 */
public final class PoolExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PoolExhaustedException(String message) {
        super(message);
    }
}
