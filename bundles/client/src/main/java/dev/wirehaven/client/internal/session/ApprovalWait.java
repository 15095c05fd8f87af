package dev.wirehaven.client.internal.session;

import dev.wirehaven.api.control.ApprovalPrompt;
import dev.wirehaven.client.ClientException;
import dev.wirehaven.client.ClientException.Reason;
import dev.wirehaven.client.CredentialPrompter;
import dev.wirehaven.client.internal.control.ControlApiException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The client's side of a login that the person approves elsewhere (protocol 1.1, like RFC 8628's
 * device authorization, section 3.5): while the server answers {@code approval_pending}, show the
 * person where to go and which code to enter (once, and again only when the server hands out another
 * URI or code), wait the server's interval, and send the same answer again, until the server grants,
 * asks for something else, or the approval lapses.
 *
 * <p>The interval is never shortened: an answer that could only go after the approval lapsed is not
 * sent, and the wait ends there with a message that says so. The time comes from the connection's
 * clock and {@link Pause}, so that tests run the schedule without sleeping through it.
 */
final class ApprovalWait {

    /** One call that may be answered {@code approval_pending}, sent again unchanged. */
    @FunctionalInterface
    interface Call<T> {
        T send() throws IOException;
    }

    private final URI server;
    private final CredentialPrompter prompter;
    private final String username;
    private final Clock clock;
    private final Pause pause;

    ApprovalWait(URI server, CredentialPrompter prompter, String username, Clock clock, Pause pause) {
        this.server = server;
        this.prompter = prompter;
        this.username = username;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Sends {@code call} until it is answered with anything but {@code approval_pending}: its result,
     * or its exception (another factor, a refusal) for the caller to handle.
     *
     * @throws ClientException {@link Reason#NO_CREDENTIALS} when the approval lapsed,
     *         {@link Reason#CANCELLED} when the wait was interrupted
     */
    <T> T until(String method, Call<T> call) throws IOException {
        ApprovalPrompt shown = null;
        while (true) {
            try {
                return call.send();
            } catch (ControlApiException e) {
                if (!e.approvalPending()) {
                    throw e;
                }
                ApprovalPrompt approval = e.error().approval();
                if (shown == null || changed(shown, approval)) {
                    show(method, approval);
                    shown = approval;
                }
                Duration wait = Duration.ofSeconds(approval.intervalSeconds());
                // a server that wants more time between answers (RFC 8628 slow_down) says so in Retry-After
                Duration asked = e.retryAfter().orElse(Duration.ZERO);
                if (asked.compareTo(wait) > 0) {
                    wait = asked;
                }
                Instant now = clock.instant();
                if (now.plus(wait).isAfter(approval.expiresAt())) {
                    throw lapsed(approval, now);
                }
                try {
                    pause.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ClientException(
                            Reason.CANCELLED, "the wait for " + username + "'s approval was interrupted", interrupted);
                }
            }
        }
    }

    private void show(String method, ApprovalPrompt approval) throws ClientException {
        try {
            prompter.showApproval(server, username, method, approval);
        } catch (ClientException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientException(
                    Reason.NO_CREDENTIALS, "the approval for " + username + " cannot be shown: " + e.getMessage(), e);
        }
    }

    /** Whether the person must be shown something new; a new interval or expiry alone is not that. */
    private static boolean changed(ApprovalPrompt before, ApprovalPrompt now) {
        return !before.verificationUri().equals(now.verificationUri())
                || !Objects.equals(before.verificationUriComplete(), now.verificationUriComplete())
                || !before.userCode().equals(now.userCode());
    }

    private ClientException lapsed(ApprovalPrompt approval, Instant now) {
        Instant at = approval.expiresAt();
        return new ClientException(
                Reason.NO_CREDENTIALS,
                "the login of " + username + " was not approved in time: the approval at "
                        + approval.verificationUri()
                        + (approval.userCode().isEmpty() ? "" : " with the code " + approval.userCode())
                        + (now.isBefore(at)
                                ? " lapses at " + at + ", before the server's interval lets the client ask again"
                                : " lapsed at " + at)
                        + "; connect again for a new one");
    }
}
