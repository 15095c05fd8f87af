package dev.wirehaven.auth.oidc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.auth.PendingApproval;
import dev.wirehaven.server.support.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingApprovalsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));

    private PendingApproval approval(String deviceCode, Duration lifetime) {
        return new PendingApproval(
                deviceCode,
                URI.create("https://sso.example.com/device"),
                null,
                "ABCD-EFGH",
                Duration.ofSeconds(5),
                clock.instant().plus(lifetime));
    }

    @Test
    void anApprovalIsKeptUntilItExpires() {
        PendingApprovals approvals = new PendingApprovals(clock, 10);
        PendingApproval a = approval("device-code-a", Duration.ofMinutes(10));
        approvals.put(a);

        assertEquals(Optional.of(a), approvals.get("device-code-a"));
        assertEquals(Optional.empty(), approvals.get("device-code-b"));

        clock.advance(Duration.ofMinutes(10));
        assertEquals(Optional.empty(), approvals.get("device-code-a"), "gone at its expiry");
        assertEquals(0, approvals.size());
    }

    @Test
    void anEndedLoginIsForgotten() {
        PendingApprovals approvals = new PendingApprovals(clock, 10);
        approvals.put(approval("device-code-a", Duration.ofMinutes(10)));

        approvals.remove("device-code-a");

        assertTrue(approvals.get("device-code-a").isEmpty());
    }

    @Test
    void beyondItsCapacityTheOldestGoesFirst() {
        PendingApprovals approvals = new PendingApprovals(clock, 3);
        for (int i = 1; i <= 5; i++) {
            approvals.put(approval("code-" + i, Duration.ofMinutes(10)));
        }

        assertEquals(3, approvals.size());
        assertFalse(approvals.get("code-1").isPresent());
        assertFalse(approvals.get("code-2").isPresent());
        assertTrue(approvals.get("code-3").isPresent());
        assertTrue(approvals.get("code-5").isPresent());
    }

    @Test
    void aReplacedApprovalCountsAsNew() {
        PendingApprovals approvals = new PendingApprovals(clock, 2);
        PendingApproval a = approval("code-a", Duration.ofMinutes(10));
        approvals.put(a);
        approvals.put(approval("code-b", Duration.ofMinutes(10)));

        approvals.put(a.withInterval(Duration.ofSeconds(10))); // slow_down: a is now the newest
        approvals.put(approval("code-c", Duration.ofMinutes(10)));

        assertEquals(
                Duration.ofSeconds(10), approvals.get("code-a").orElseThrow().interval());
        assertFalse(approvals.get("code-b").isPresent());
    }
}
