package dev.wirehaven.responses.internal;

import static dev.wirehaven.responses.internal.Fixture.block;
import static dev.wirehaven.responses.internal.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.monitor.SecurityEvent;
import dev.wirehaven.api.monitor.Severity;
import dev.wirehaven.api.net.IpPrefix;
import dev.wirehaven.api.response.ResponseAction;
import dev.wirehaven.api.response.SecurityResponse;
import dev.wirehaven.api.response.SecurityResponse.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockSourceTest {

    private final Fixture f = new Fixture();
    private final ResponseLedger ledger = f.ledger();

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aBlockedAddressIsBlockedAndItsNeighbourIsNot() {
        SecurityResponse r = ledger.apply(block("192.0.2.7", Duration.ofHours(1)));

        assertEquals(State.ACTIVE, r.state());
        assertEquals("192.0.2.7/32", r.target(), "the target in canonical prefix form");
        assertEquals(Fixture.T0.plus(Duration.ofHours(1)), r.expires());
        assertTrue(ledger.isBlocked(ip("192.0.2.7")));
        assertFalse(ledger.isBlocked(ip("192.0.2.8")));
        assertFalse(ledger.isBlocked(ip("2001:db8::7")), "another family");
    }

    @Test
    void aBlockedPrefixCoversItsAddressesOnly() {
        ledger.apply(block("198.51.100.77/24", Duration.ofHours(1)));
        ledger.apply(block("2001:DB8:0:0::1/48", Duration.ofHours(1)));

        assertEquals(
                List.of("198.51.100.0/24", "2001:db8::/48"),
                ledger.active().stream().map(SecurityResponse::target).toList(),
                "host bits cleared, IPv6 compressed and in lower case");
        assertTrue(ledger.isBlocked(ip("198.51.100.1")));
        assertTrue(ledger.isBlocked(ip("198.51.100.255")));
        assertFalse(ledger.isBlocked(ip("198.51.101.1")));
        assertTrue(ledger.isBlocked(ip("2001:db8:0:ffff::9")));
        assertFalse(ledger.isBlocked(ip("2001:db8:1::9")));
    }

    @Test
    void theDevicesAreGivenEveryBlockInForce() {
        ledger.apply(block("192.0.2.7", Duration.ofHours(1)));
        ledger.apply(block("2001:db8::/32", Duration.ofHours(1)));

        assertEquals(
                List.of(IpPrefix.parse("192.0.2.7/32"), IpPrefix.parse("2001:db8::/32")),
                f.devicePushes.get(f.devicePushes.size() - 1));
    }

    @Test
    void theBlockIsReportedWithWhatWhyAndWho() {
        SecurityResponse r = ledger.apply(block("192.0.2.7", Duration.ofHours(1)));

        SecurityEvent e = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_APPLIED, e.type());
        assertEquals(Severity.MEDIUM, e.severity());
        assertEquals(ip("192.0.2.7"), e.source());
        for (String part : List.of(r.id(), "BLOCK_SOURCE", "192.0.2.7/32", "seen in a test", "detector test")) {
            assertTrue(e.detail().contains(part), part + " in " + e.detail());
        }
    }

    @Test
    void aTargetThatIsNotAnAddressIsRejectedSayingWhichFormsWork() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ledger.apply(block("gateway.example", Duration.ofHours(1))));

        assertTrue(e.getMessage().contains("192.0.2.0/24"), e.getMessage());
        assertTrue(ledger.active().isEmpty());
    }

    @Test
    void aBlockThatOverlapsTheAllowListIsRefusedAndSaysWhy() {
        ResponseLedger strict =
                f.ledger(ResponseSettings.read(new String[] {"10.0.0.0/8", "::1"}, "7d", new String[] {"totp"}));

        SecurityResponse inside = strict.apply(block("10.1.2.3", Duration.ofHours(1)));
        SecurityResponse around = strict.apply(block("0.0.0.0/0", Duration.ofHours(1)));
        SecurityResponse loopback = strict.apply(block("::1", Duration.ofHours(1)));

        for (SecurityResponse r : List.of(inside, around, loopback)) {
            assertEquals(State.REFUSED, r.state(), r.toString());
            assertTrue(r.note().contains("allow-listed"), r.note());
        }
        assertTrue(inside.note().contains("10.0.0.0/8"), inside.note());
        assertFalse(strict.isBlocked(ip("10.1.2.3")));
        assertTrue(strict.active().isEmpty());
        SecurityEvent refused = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_REFUSED, refused.type());
        assertEquals(Severity.LOW, refused.severity());
    }

    @Test
    void theLoopbackIsAllowListedByDefault() {
        assertEquals(
                State.REFUSED,
                ledger.apply(block("127.0.0.1", Duration.ofHours(1))).state());
        assertEquals(
                State.REFUSED, ledger.apply(block("::1", Duration.ofHours(1))).state());
        assertEquals(
                State.ACTIVE,
                ledger.apply(block("192.0.2.1", Duration.ofHours(1))).state());
    }

    @Test
    void aBlockEndsAtItsExpiryWithAnEvent() {
        SecurityResponse r = ledger.apply(block("192.0.2.7", Duration.ofMinutes(15)));
        f.events.clear();

        f.clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        ledger.tick();
        assertTrue(ledger.isBlocked(ip("192.0.2.7")), "a second before its end");
        assertTrue(f.events.all().isEmpty());

        f.clock.advance(Duration.ofSeconds(1));
        ledger.tick();

        assertFalse(ledger.isBlocked(ip("192.0.2.7")));
        assertTrue(ledger.active().isEmpty());
        assertEquals(State.EXPIRED, ledger.recent(1).get(0).state());
        SecurityEvent e = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_ENDED, e.type());
        assertEquals(Severity.INFO, e.severity());
        assertTrue(e.detail().contains("expired") && e.detail().contains(r.id()), e.detail());
        assertEquals(List.of(), f.devicePushes.get(f.devicePushes.size() - 1), "the devices let it in");
    }

    @Test
    void anExpiredBlockLetsTheSourceInBeforeTheExpiryTaskRuns() {
        ledger.apply(block("192.0.2.7", Duration.ofMinutes(15)));

        f.clock.advance(Duration.ofMinutes(15));

        assertFalse(ledger.isBlocked(ip("192.0.2.7")), "no tick has run yet");
    }

    @Test
    void undoEndsABlockAtOnceWithAnEvent() {
        SecurityResponse r = ledger.apply(block("192.0.2.0/24", Duration.ofDays(1)));

        SecurityResponse undone = ledger.undo(r.id(), "an operator (test)").orElseThrow();

        assertEquals(State.UNDONE, undone.state());
        assertTrue(undone.note().contains("undone by an operator (test)"), undone.note());
        assertFalse(ledger.isBlocked(ip("192.0.2.9")));
        assertTrue(ledger.active().isEmpty());
        SecurityEvent e = f.events.last();
        assertEquals(SecurityEvent.RESPONSE_ENDED, e.type());
        assertTrue(e.detail().contains("undone by an operator (test)"), e.detail());
        assertEquals(List.of(), f.devicePushes.get(f.devicePushes.size() - 1));
        assertTrue(ledger.undo(r.id(), "again").isEmpty(), "no longer in force");
        assertTrue(ledger.undo("r-nothing", "anyone").isEmpty());
    }

    @Test
    void aSecondBlockOfTheSameSourceExtendsTheFirst() {
        SecurityResponse first = ledger.apply(block("192.0.2.7", Duration.ofHours(1)));
        f.clock.advance(Duration.ofMinutes(30));

        SecurityResponse second = ledger.apply(block("192.0.2.7/32", Duration.ofHours(2)));

        assertEquals(first.id(), second.id());
        assertEquals(Fixture.T0.plus(Duration.ofMinutes(150)), second.expires());
        assertEquals(first.started(), second.started());
        assertEquals(1, ledger.active().size());
        assertTrue(second.note().contains("extended"), second.note());
        f.clock.advance(Duration.ofMinutes(100));
        ledger.tick();
        assertTrue(ledger.isBlocked(ip("192.0.2.7")), "past the first end, within the extension");
    }

    @Test
    void aShorterSecondBlockChangesNothing() {
        SecurityResponse first = ledger.apply(block("192.0.2.7", Duration.ofHours(2)));
        int eventsBefore = f.events.all().size();

        SecurityResponse second = ledger.apply(block("192.0.2.7", Duration.ofMinutes(5)));

        assertEquals(first, second);
        assertEquals(1, ledger.active().size());
        assertEquals(eventsBefore, f.events.all().size());
    }

    @Test
    void aBlockLongerThanTheMaximumIsCapped() {
        SecurityResponse r = ledger.apply(block("192.0.2.7", Duration.ofDays(30)));

        assertEquals(Fixture.T0.plus(Duration.ofDays(7)), r.expires());
        assertTrue(r.note().contains("capped at 7d"), r.note());
    }

    @Test
    void anAlertIsOnlyRecorded() {
        SecurityResponse r = ledger.apply(Fixture.request(ResponseAction.ALERT, "alice", Duration.ofHours(1)));

        assertEquals(State.DONE, r.state());
        assertEquals(r.started(), r.expires());
        assertTrue(ledger.active().isEmpty());
        assertEquals(SecurityEvent.RESPONSE_APPLIED, f.events.last().type());
        assertTrue(f.sessions.revoked.isEmpty() && f.sessions.steppedUp.isEmpty());
    }
}
