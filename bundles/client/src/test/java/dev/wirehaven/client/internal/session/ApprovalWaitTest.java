package dev.wirehaven.client.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirehaven.api.control.ApiError;
import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlApiException;
import dev.wirehaven.client.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wait for an approval, against a scripted sequence of answers and a clock that moves only when waited on. */
class ApprovalWaitTest {

    private static final URI SERVER = URI.create("https://vpn.example.com:8443");
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final List<ApprovalPrompt> shown = new ArrayList<>();
    private final List<Instant> sent = new ArrayList<>();

    private final CredentialPrompter prompter = new CredentialPrompter() {
        @Override
        public char[] password(URI server, String username) {
            throw new AssertionError();
        }

        @Override
        public String oneTimeCode(URI server, String username, String method) {
            throw new AssertionError();
        }

        @Override
        public void showApproval(URI server, String username, String method, ApprovalPrompt approval) {
            shown.add(approval);
        }
    };

    private static ApprovalPrompt approval(String code, long interval, Instant expiresAt) {
        return new ApprovalPrompt(
                URI.create("https://idp.example.com/device"),
                URI.create("https://idp.example.com/device?user_code=" + code),
                code,
                interval,
                expiresAt);
    }

    private static ControlApiException pending(ApprovalPrompt a, Duration retryAfter) {
        return new ControlApiException(
                "authentication",
                401,
                new ApiError("approval_pending", "waiting", List.of(), List.of(), a),
                retryAfter);
    }

    /** A call answered with the scripted exceptions in turn, then with "granted". */
    private ApprovalWait.Call<String> script(ControlApiException... answers) {
        Deque<ControlApiException> left = new ArrayDeque<>(List.of(answers));
        return () -> {
            sent.add(clock.instant());
            ControlApiException next = left.poll();
            if (next != null) {
                throw next;
            }
            return "granted";
        };
    }

    private ApprovalWait waiting() {
        return new ApprovalWait(SERVER, prompter, "alice", clock, clock.pause());
    }

    @Test
    void pendingPendingThenGrantedAsksAgainAfterEachIntervalAndShowsTheApprovalOnce() throws IOException {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(600));
        assertEquals("granted", waiting().until("oidc", script(pending(a, null), pending(a, null))));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), clock.pauses());
        assertEquals(List.of(T0, T0.plusSeconds(5), T0.plusSeconds(10)), sent);
        assertEquals(List.of(a), shown);
    }

    @Test
    void aNewCodeIsShownAgainButANewExpiryAloneIsNot() throws IOException {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(600));
        ApprovalPrompt later = approval("ABCD-1234", 5, T0.plusSeconds(900));
        ApprovalPrompt other = approval("WXYZ-9876", 5, T0.plusSeconds(900));
        waiting().until("oidc", script(pending(a, null), pending(later, null), pending(other, null)));
        assertEquals(List.of(a, other), shown);
    }

    @Test
    void aLongerRetryAfterIsWaitedInstead() throws IOException {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(600));
        waiting().until("oidc", script(pending(a, Duration.ofSeconds(12))));
        assertEquals(List.of(Duration.ofSeconds(12)), clock.pauses());
    }

    @Test
    void anApprovalThatLapsesEndsTheWaitWithAClearMessage() {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(12));
        ControlApiException p = pending(a, null);
        ClientException e =
                assertThrows(ClientException.class, () -> waiting().until("oidc", script(p, p, p, p, p, p)));
        assertEquals(ClientException.Reason.NO_CREDENTIALS, e.reason());
        assertTrue(
                e.getMessage()
                        .startsWith("the login of alice was not approved in time: the approval at"
                                + " https://idp.example.com/device with the code ABCD-1234 lapses at"
                                + " 2030-01-01T00:00:12Z"),
                e.getMessage());
        assertEquals(List.of(T0, T0.plusSeconds(5), T0.plusSeconds(10)), sent, "never sooner than the interval");
    }

    @Test
    void anotherAnswerEndsTheWaitForTheCallerToHandle() {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(600));
        ControlApiException refused = new ControlApiException(
                "authentication", 401, ApiError.of("unauthorized", "the login was denied"), null);
        ControlApiException e = assertThrows(
                ControlApiException.class, () -> waiting().until("oidc", script(pending(a, null), refused)));
        assertEquals("unauthorized", e.code());
    }

    @Test
    void anInterruptedWaitIsCancelled() {
        ApprovalPrompt a = approval("ABCD-1234", 5, T0.plusSeconds(600));
        ApprovalWait w = new ApprovalWait(SERVER, prompter, "alice", clock, d -> {
            throw new InterruptedException();
        });
        ClientException e = assertThrows(ClientException.class, () -> w.until("oidc", script(pending(a, null))));
        assertEquals(ClientException.Reason.CANCELLED, e.reason());
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }
}
