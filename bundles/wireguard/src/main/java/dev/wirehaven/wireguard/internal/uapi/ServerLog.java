package dev.wirehaven.wireguard.internal.uapi;

/**
 * Where the socket servers report what happens: the command line writes it to standard error at
 * the {@code LOG_LEVEL} that wireguard-go knows; an OSGi component can forward it to its logger.
 * Messages never contain key material.
 */
public interface ServerLog {

    /** Routine events (a set applied, a client connected). */
    void verbose(String message);

    /** Failures that an operator should see. */
    void error(String message);

    /** Drops everything. */
    ServerLog SILENT = new ServerLog() {
        @Override
        public void verbose(String message) {}

        @Override
        public void error(String message) {}
    };
}
