package dev.wirehaven.sessions.internal.session;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the steps of one session (a client's calls, the reaper, an operator's revoke), so that
 * each step reads the session, decides and saves without another step in between. Striped: a fixed
 * set of locks shared by hash, so that no lock object lives per session (heap per idle session is
 * a goal) and none has to be cleaned up. Unrelated sessions rarely share a stripe, and when they do
 * they only wait for each other's short step.
 */
final class SessionLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    SessionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The lock of the session's stripe. */
    ReentrantLock of(String sessionId) {
        return stripes[Math.floorMod(sessionId.hashCode(), STRIPES)];
    }
}
