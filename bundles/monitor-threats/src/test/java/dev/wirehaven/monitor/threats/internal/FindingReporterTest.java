package dev.wirehaven.monitor.threats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.response.ResponseAction;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FindingReporterTest {

    private static final Rule BLOCK =
            new Rule(10, Duration.ofMinutes(5), Severity.HIGH, ResponseAction.BLOCK_SOURCE, Duration.ofMinutes(15));
    private static final Finding GUESSING =
            Finding.ofAddress(SecurityEvent.THREAT_PASSWORD_GUESSING, "10 failed logins from 192.0.2.7", "192.0.2.7");
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final RecordingEvents events = new RecordingEvents();
    private final RecordingResponses responses = new RecordingResponses();

    @Test
    void withoutTheResponsesServiceAFindingIsStillReportedAndSaysItWasNotActedOn() {
        FindingReporter reporter = new FindingReporter(events, null);
        reporter.report("password-guessing", GUESSING, BLOCK, NOW);

        assertEquals(1, events.reported.size());
        assertEquals(NOW, events.reported.get(0).timestamp());
        assertFalse(reporter.canRespond());
        assertEquals(FindingReporter.NO_RESPONSES, reporter.recent().get(0).outcome());
    }

    @Test
    void theResponseIsAskedForWithTheDetectorAndTheFindingsDetail() {
        FindingReporter reporter = new FindingReporter(events, responses);
        reporter.report("password-guessing", GUESSING, BLOCK, NOW);

        assertEquals("detector password-guessing", responses.requests.get(0).requestedBy());
        assertEquals(
                "10 failed logins from 192.0.2.7", responses.requests.get(0).reason());
        assertEquals("BLOCK_SOURCE 192.0.2.7: ACTIVE", reporter.recent().get(0).outcome());
    }

    @Test
    void aResponseThatFailsIsRecordedAndNotThrown() {
        responses.failure = new IllegalArgumentException("a block takes an address or a prefix");
        FindingReporter reporter = new FindingReporter(events, responses);
        reporter.report(
                "handshake-flood",
                Finding.ofAddress(SecurityEvent.THREAT_HANDSHAKE_FLOOD, "flood", "not-an-ip"),
                BLOCK,
                NOW);

        assertEquals(1, events.reported.size());
        assertEquals(null, events.reported.get(0).source(), "a tag that is no literal is not resolved");
        assertEquals(
                "BLOCK_SOURCE not-an-ip: failed: a block takes an address or a prefix",
                reporter.recent().get(0).outcome());
    }

    @Test
    void aFailingEventServiceDoesNotStopTheResponse() {
        FindingReporter reporter = new FindingReporter(
                e -> {
                    throw new IllegalStateException("server stopping");
                },
                responses);
        reporter.report("password-guessing", GUESSING, BLOCK, NOW);
        assertEquals(1, responses.requests.size());
    }

    @Test
    void onlyTheLastFiftyFindingsAreKeptNewestFirst() {
        FindingReporter reporter = new FindingReporter(events, responses);
        for (int i = 0; i < 120; i++) {
            reporter.report("password-guessing", GUESSING, BLOCK, NOW.plusSeconds(i));
        }
        assertEquals(FindingReporter.KEPT, reporter.recent().size());
        assertEquals(NOW.plusSeconds(119), reporter.recent().get(0).time());
        assertTrue(FindingReporter.describe(reporter.recent().get(0)).contains("10 failed logins from 192.0.2.7"));
    }
}
