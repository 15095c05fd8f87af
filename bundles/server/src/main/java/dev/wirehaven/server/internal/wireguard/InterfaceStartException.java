package dev.wirehaven.server.internal.wireguard;

/**
 * Why an interface did not start, in one sentence that names the configuration, the key at fault and
 * what to do: the component logs it as one ERROR line and fails its activation with it, which
 * Declarative Services shows as the component's failure. A stack trace would add nothing that an
 * operator can act on, so it carries none, and the cause (when there is one) is in the message.
 */
final class InterfaceStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InterfaceStartException(String message) {
        super(message, null, false, false);
    }

    /**
     * A value that the operator must change: {@code <what>: <configuration>: <key> <problem>; <fix>}.
     */
    static InterfaceStartException badValue(ConfigurationOrigin origin, String key, String problem, String fix) {
        return new InterfaceStartException("WireGuard interface not started: " + origin.describe() + ": " + key
                + " " + problem + "; " + fix);
    }

    /** A valid configuration that could not be put into effect (no root, port in use, ...). */
    static InterfaceStartException cannotStart(String iface, ConfigurationOrigin origin, String reason) {
        return new InterfaceStartException("WireGuard interface " + iface + " not started (" + origin.describe()
                + "): " + reason);
    }
}
