package dev.wirehaven.controlapi.internal.tls;

/**
 * Why the control API's HTTPS endpoint did not start, in one sentence that names the configuration or
 * file, the key at fault and what to do. The component logs it as one ERROR line and fails its
 * activation with it; a stack trace would add nothing an operator can act on, so it carries none.
 */
final class TlsStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TlsStartException(String message) {
        super(message, null, false, false);
    }

    /** A configured value the operator must change: {@code <configuration>: <key> <problem>; <fix>}. */
    static TlsStartException badValue(ConfigOrigin origin, String key, String problem, String fix) {
        return new TlsStartException(
                "HTTPS not started: " + origin.describe() + ": " + key + " " + problem + "; " + fix);
    }

    /** A file named by (or kept for) the configuration that cannot be used. */
    static TlsStartException badFile(ConfigOrigin origin, String key, String file, String problem, String fix) {
        return new TlsStartException(
                "HTTPS not started: " + origin.describe() + ": " + key + " = " + file + ": " + problem + "; " + fix);
    }

    /** A file of the server's own certificate store in {@code <data>/tls} that cannot be used. */
    static TlsStartException storeFile(String file, String problem, String fix) {
        return new TlsStartException("HTTPS not started: " + file + ": " + problem + "; " + fix);
    }
}
