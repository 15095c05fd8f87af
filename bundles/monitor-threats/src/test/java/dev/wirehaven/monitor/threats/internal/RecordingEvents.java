package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.SecurityEvents;
import java.util.ArrayList;
import java.util.List;

/** A fake {@link SecurityEvents} that records what was reported. */
final class RecordingEvents implements SecurityEvents {

    final List<SecurityEvent> reported = new ArrayList<>();

    @Override
    public void report(SecurityEvent event) {
        reported.add(event);
    }
}
