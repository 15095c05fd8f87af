package dev.wirehaven.monitor.threats.internal;

import java.time.Duration;

/** The checked settings of the traffic-anomaly detector; the rule's threshold is the factor. */
record TrafficSettings(
        boolean enabled,
        Duration interval,
        long learningIntervals,
        double factor,
        double floorBytesPerSecond,
        double weight,
        Rule rule,
        int maxKeys) {}
