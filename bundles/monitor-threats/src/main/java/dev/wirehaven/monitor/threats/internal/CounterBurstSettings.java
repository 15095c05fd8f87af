package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.response.ResponseAction;
import java.util.Set;

/** The checked settings of a detector that judges a counter's increase in a window against one rule. */
record CounterBurstSettings(boolean enabled, Rule rule, int maxKeys) {

    static CounterBurstSettings read(
            SettingsReader r,
            boolean enabled,
            long threshold,
            String window,
            String severity,
            String response,
            String duration,
            int maxKeys,
            Set<ResponseAction> actions)
            throws BadSetting {
        return new CounterBurstSettings(
                enabled,
                new Rule(
                        r.atLeast("threshold", threshold, 1),
                        r.duration("window", window),
                        r.severity("severity", severity),
                        r.action("response", response, actions),
                        r.duration("response.duration", duration)),
                (int) r.atLeast("max.tracked.keys", maxKeys, 1));
    }

    String describe(String what) {
        return (enabled ? "enabled" : "DISABLED") + ", max " + maxKeys + " keys\n    " + what + " "
                + rule.describeThreshold() + " -> " + rule.describeResponse();
    }
}
