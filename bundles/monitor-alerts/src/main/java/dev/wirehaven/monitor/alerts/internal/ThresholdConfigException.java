package dev.wirehaven.monitor.alerts.internal;

/** A threshold configuration that cannot be used; the message names the key and says how to fix it. */
final class ThresholdConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ThresholdConfigException(String message) {
        super(message);
    }
}
