package dev.wirehaven.monitor.threats.internal;

/**
 * A configuration value that a detector refuses: it names the PID, the key, the value and the fix, so
 * that the one ERROR line it becomes is all an operator needs.
 */
final class BadSetting extends Exception {

    private static final long serialVersionUID = 1L;

    BadSetting(String pid, String key, Object value, String fix) {
        super("Configuration " + pid + ": " + key + " = '" + value + "' is refused: " + fix
                + "; the detector keeps its last good configuration");
    }
}
