package dev.wirehaven.monitor.threats.internal;

import dev.wirehaven.api.monitor.MetricSample;
import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** What every detector test has: a clock, the recording fakes, a reporter over them, and sample makers. */
final class Fixture {

    final TestClock clock = new TestClock();
    final RecordingEvents events = new RecordingEvents();
    final RecordingResponses responses = new RecordingResponses();
    final FindingReporter reporter = new FindingReporter(events, responses);

    SecurityEvent authFailure(String user, String source) {
        return new SecurityEvent(
                SecurityEvent.AUTH_FAILURE,
                Severity.LOW,
                clock.instant(),
                user,
                address(source),
                "invalid credentials");
    }

    MetricSample counter(String name, double value, Map<String, String> tags) {
        return MetricSample.counter(name, value, "1", tags, clock.instant());
    }

    static InetAddress address(String literal) {
        try {
            return literal == null ? null : InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
