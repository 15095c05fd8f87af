package dev.wirehaven.interfaces.internal.wireguard;

import dev.wirehaven.server.support.config.ConfigurationOrigin;

/**
 * Why an interface did not start, or why a change of its configuration was not applied, in one
 * sentence that names the configuration, the key at fault and what to do: the component logs it as
 * one ERROR line and fails its activation with it, which Declarative Services shows as the
 * component's failure. A stack trace would add nothing that an operator can act on, so it carries
 * none, and the cause (when there is one) is in the message.
 */
final class InterfaceStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The message without what it led to: {@code <configuration>: <key> <problem>; <fix>}. */
    private final String detail;

    private InterfaceStartException(String message, String detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    /** What is wrong, without saying what it led to, so that a change that is refused can say it its own way. */
    String detail() {
        return detail;
    }

    /**
     * A value that the operator must change: {@code <what>: <configuration>: <key> <problem>; <fix>}.
     */
    static InterfaceStartException badValue(ConfigurationOrigin origin, String key, String problem, String fix) {
        return badValue(origin, key, problem + "; " + fix);
    }

    /** As {@link #badValue(ConfigurationOrigin, String, String, String)}, for a problem whose words include the fix. */
    static InterfaceStartException badValue(ConfigurationOrigin origin, String key, String problemAndFix) {
        String detail = origin.describe() + ": " + key + " " + problemAndFix;
        return new InterfaceStartException("WireGuard interface not started: " + detail, detail);
    }

    /** A valid configuration that could not be put into effect (no root, port in use, ...). */
    static InterfaceStartException cannotStart(String iface, ConfigurationOrigin origin, String reason) {
        return new InterfaceStartException(
                "WireGuard interface " + iface + " not started (" + origin.describe() + "): " + reason,
                origin.describe() + ": " + reason);
    }

    /** A change that the device refused half-way. */
    static InterfaceStartException changePartlyApplied(String iface, ConfigurationOrigin origin, String what) {
        String detail = origin.describe() + ": " + what;
        return new InterfaceStartException(
                "WireGuard interface " + iface + ": the change was applied only in part: " + detail, detail);
    }

    /** A change that was refused before anything was touched: the running interface is as it was. */
    static InterfaceStartException changeNotApplied(String iface, InterfaceStartException why) {
        return new InterfaceStartException(
                "WireGuard interface " + iface + " keeps its previous settings, the change" + " was not applied: "
                        + why.detail(),
                why.detail());
    }
}
